using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.Imaging;
using PixMix.Imaging.Sources;
using PixMix.TestSupport;

namespace PixMix.MLNet.Tests.Transforms;

/// <summary>
/// The first images of the real Fashion-MNIST training set (data/fashion-mnist in the repository), read with the
/// library's checksum-verifying reader, and the test data built from them.
/// </summary>
internal static class FashionMnistSample
{
    private static readonly Lazy<(byte[][] Images, byte[] Labels)> s_data = new(() => Read(64));

    public const int Side = 28;
    public static byte[][] Images => s_data.Value.Images;
    public static byte[] Labels => s_data.Value.Labels;
    public static readonly string[] ClassNames = [.. FashionMnist.ClassNames];

    private static (byte[][] Images, byte[] Labels) Read(int count)
    {
        var source = FashionMnist.Open(train: true);
        if (source.Width != Side || source.Height != Side) throw new InvalidDataException("Fashion-MNIST images are not 28x28.");
        var images = Enumerable.Range(0, count).Select(i => { var b = new byte[Side * Side]; source.ReadImage(i, b); return b; }).ToArray();
        var labels = Enumerable.Range(0, count).Select(i => (byte)source.ReadLabel(i)).ToArray();
        return (images, labels);
    }

    /// <summary>Writes the first <paramref name="count"/> images as PNG files into <paramref name="folder"/>; returns (file name, class name) rows.</summary>
    public static List<ImageFileRow> WritePngs(string folder, int count)
    {
        var rows = new List<ImageFileRow>();
        for (int i = 0; i < count; i++)
        {
            var name = $"fmnist-{i:D2}.png";
            ImageCodec.WritePng(new ImageU8(Side, Side, 1, Images[i]), Path.Combine(folder, name));
            rows.Add(new ImageFileRow { ImagePath = name, Label = ClassNames[Labels[i]] });
        }
        return rows;
    }

    /// <summary>A data view of the first <paramref name="count"/> images as a byte vector "Pixels" of type (28, 28, 1) and a text "Label".</summary>
    public static IDataView ByteVectorView(MLContext mlContext, int count)
    {
        var definition = SchemaDefinition.Create(typeof(PixelRow));
        definition[nameof(PixelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, Side, Side, 1);
        var rows = Enumerable.Range(0, count).Select(i => new PixelRow { Pixels = Images[i], Label = ClassNames[Labels[i]] }).ToList();
        return mlContext.Data.LoadFromEnumerable(rows, definition);
    }

    /// <summary>An image source over the first <paramref name="count"/> images (28x28 grey), for <see cref="MLNet.Data.ImageSourceDataView"/>.</summary>
    public static IImageSource Source(int count) =>
        new ArrayImageSource(Images[..count], Side, Side, 1, [.. Labels.Take(count).Select(l => (int)l)], ClassNames);

    public sealed class ImageFileRow
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }

    public sealed class PixelRow
    {
        public byte[] Pixels { get; set; } = [];
        public string Label { get; set; } = "";
    }
}
