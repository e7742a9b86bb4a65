using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.Imaging;
using PixMix.Imaging.Data;

namespace PixMix.MLNet.Tests.Transforms;

/// <summary>
/// The first images of the real Fashion-MNIST training set (data/fashion-mnist in the repository), read with a small
/// gzip + idx reader, and the test data built from them.
/// </summary>
internal static class FashionMnistSample
{
    private static readonly Lazy<(byte[][] Images, byte[] Labels)> s_data = new(() => (ReadImages(64), ReadLabels(64)));

    public const int Side = 28;
    public static byte[][] Images => s_data.Value.Images;
    public static byte[] Labels => s_data.Value.Labels;
    public static readonly string[] ClassNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PixMix.MLNet.sln"))) return dir.FullName;
        throw new InvalidOperationException($"PixMix.MLNet.sln not found above {AppContext.BaseDirectory}.");
    }

    private static byte[] ReadIdx(string file, int expectedMagic, int count, out int[] dims)
    {
        var path = Path.Combine(RepositoryRoot(), "data", "fashion-mnist", file);
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new BinaryReader(gz);
        int magic = BigEndian(reader);
        if (magic != expectedMagic) throw new InvalidDataException($"{path}: magic {magic}, expected {expectedMagic}.");
        int rank = magic & 0xFF;
        dims = new int[rank];
        for (int i = 0; i < rank; i++) dims[i] = BigEndian(reader);
        int itemSize = 1;
        for (int i = 1; i < rank; i++) itemSize *= dims[i];
        return reader.ReadBytes(count * itemSize);
    }

    private static int BigEndian(BinaryReader r)
    {
        var b = r.ReadBytes(4);
        return (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
    }

    private static byte[][] ReadImages(int count)
    {
        var all = ReadIdx("train-images-idx3-ubyte.gz", 0x803, count, out var dims);
        if (dims[1] != Side || dims[2] != Side) throw new InvalidDataException("Fashion-MNIST images are not 28x28.");
        return Enumerable.Range(0, count).Select(i => all.AsSpan(i * Side * Side, Side * Side).ToArray()).ToArray();
    }

    private static byte[] ReadLabels(int count) => ReadIdx("train-labels-idx1-ubyte.gz", 0x801, count, out _);

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
    public static IImageSource Source(int count) => new ArraySource(Images.Take(count).ToArray(), Labels.Take(count).ToArray());

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

    private sealed class ArraySource(byte[][] images, byte[] labels) : IImageSource
    {
        public long Count => images.Length;
        public int Width => Side;
        public int Height => Side;
        public int Channels => 1;
        public bool HasLabels => true;
        public IReadOnlyList<string>? ClassNames => FashionMnistSample.ClassNames;
        public void ReadImage(long index, Span<byte> destination) => images[index].CopyTo(destination);
        public int ReadLabel(long index) => labels[index];
    }
}

/// <summary>A temporary folder deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pixmix-tests-" + Guid.NewGuid().ToString("N")));
    public string Path { get; }
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
