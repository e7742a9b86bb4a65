using OxyPlot;
using PixMix.MLNet.Charts;
using PixMix.MLNet.Evaluation;
using PixMix.MLNet.Tests.Evaluation;
using SkiaSharp;

namespace PixMix.MLNet.Tests.Charts;

public class SafetyChartsTests
{
    private static void AssertPng(string path, int width, int height)
    {
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        // Not blank: the luminance varies.
        double sum = 0, sumSq = 0;
        int n = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                double l = 0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue;
                sum += l; sumSq += l * l; n++;
            }
        double variance = sumSq / n - (sum / n) * (sum / n);
        Assert.True(variance > 1, $"pixel variance {variance}");
    }

    private static void WithTempDir(Action<string> body)
    {
        var dir = Directory.CreateTempSubdirectory("pixmix-charts-");
        try { body(dir.FullName); }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void ChartsOfOneReportArePngsOfTheRequestedSize()
    {
        var report = SampleReports.Make("baseline", 1);
        WithTempDir(dir =>
        {
            var charts = new (string Name, PlotModel Model, int W, int H)[]
            {
                ("heatmap.png", SafetyCharts.CorruptionHeatMap(report), 640, 480),
                ("bars.png", SafetyCharts.CorruptionBars(report), 800, 500),
                ("reliability.png", SafetyCharts.ReliabilityDiagram(report), 500, 500),
            };
            foreach (var (name, model, w, h) in charts)
            {
                string path = Path.Combine(dir, name);
                ChartExporter.SavePng(model, path, w, h);
                AssertPng(path, w, h);
            }
            // Written atomically: no temporary files remain.
            Assert.Equal(3, Directory.GetFiles(dir).Length);
        });
    }

    [Fact]
    public void ComparisonChartOfTwoReports()
    {
        var model = SafetyCharts.Comparison(SampleReports.Make("baseline", 1), SampleReports.Make("pixmix", 0.5));
        Assert.Equal(2, model.Series.Count);
        WithTempDir(dir =>
        {
            string path = Path.Combine(dir, "compare.png");
            ChartExporter.SavePng(model, path, 700, 420);
            AssertPng(path, 700, 420);
            string svg = Path.Combine(dir, "compare.svg");
            ChartExporter.SaveSvg(model, svg);
            Assert.Contains("<svg", File.ReadAllText(svg));
        });
    }

    [Fact]
    public void ChartsNeedTheirData()
    {
        var empty = new SafetyReport();
        var e = Assert.Throws<ArgumentException>(() => SafetyCharts.CorruptionHeatMap(empty));
        Assert.Contains("corruption", e.Message);
        Assert.Throws<ArgumentException>(() => SafetyCharts.ReliabilityDiagram(empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChartExporter.ToPng(SafetyCharts.ReliabilityDiagram(SampleReports.Make("a", 1)), 0, 100));
    }
}
