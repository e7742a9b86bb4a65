using OxyPlot;
using PixMix.MLNet.Evaluation;

namespace PixMix.MLNet.Charts;

/// <summary>Writes OxyPlot models as PNG (through SkiaSharp) or SVG files, atomically.</summary>
public static class ChartExporter
{
    /// <summary>Renders <paramref name="model"/> to a <paramref name="width"/> x <paramref name="height"/> PNG at <paramref name="path"/>.</summary>
    public static void SavePng(PlotModel model, string path, int width = 900, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckSize(width, height);
        AtomicFile.Write(path, stream => new OxyPlot.SkiaSharp.PngExporter { Width = width, Height = height }.Export(model, stream));
    }

    /// <summary>Renders <paramref name="model"/> to PNG bytes.</summary>
    public static byte[] ToPng(PlotModel model, int width = 900, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckSize(width, height);
        using var stream = new MemoryStream();
        new OxyPlot.SkiaSharp.PngExporter { Width = width, Height = height }.Export(model, stream);
        return stream.ToArray();
    }

    /// <summary>Renders <paramref name="model"/> to an SVG file (no native library needed).</summary>
    public static void SaveSvg(PlotModel model, string path, int width = 900, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckSize(width, height);
        AtomicFile.Write(path, stream => new SvgExporter { Width = width, Height = height }.Export(model, stream));
    }

    private static void CheckSize(int width, int height)
    {
        if (width < 16 || width > 16384) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be in [16, 16384] pixels.");
        if (height < 16 || height > 16384) throw new ArgumentOutOfRangeException(nameof(height), height, "height must be in [16, 16384] pixels.");
    }
}
