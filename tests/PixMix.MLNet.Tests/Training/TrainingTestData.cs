using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace PixMix.MLNet.Tests.Training;

/// <summary>A row of image data: CHW floats and a text label.</summary>
public sealed class ImageRow
{
    public float[] Features { get; set; } = [];
    public string Label { get; set; } = "";
}

/// <summary>Test data: a few Fashion-MNIST images (read from the idx files) and small synthetic sets.</summary>
internal static class TrainingTestData
{
    internal static readonly string[] FashionClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PixMix.MLNet.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new DirectoryNotFoundException("Repository root (PixMix.MLNet.sln) not found above " + AppContext.BaseDirectory);
    }

    internal static string FixturePath(string name) => Path.Combine(RepositoryRoot(), "tests", "PixMix.MLNet.Tests", "Fixtures", "torch", name);

    /// <summary>
    /// The first <paramref name="count"/> images of a Fashion-MNIST split ("train" or "t10k"), normalised like the
    /// paper's CIFAR recipe ((x / 255 - 0.5) / 0.5), as 1 x 28 x 28 rows with their class names.
    /// </summary>
    internal static List<ImageRow> FashionMnist(string split, int count, int skip = 0)
    {
        var folder = Path.Combine(RepositoryRoot(), "data", "fashion-mnist");
        var images = ReadIdx(Path.Combine(folder, $"{split}-images-idx3-ubyte.gz"), 0x0803, skip + count, out var dims);
        var labels = ReadIdx(Path.Combine(folder, $"{split}-labels-idx1-ubyte.gz"), 0x0801, skip + count, out _);
        int size = dims[1] * dims[2];
        var rows = new List<ImageRow>(count);
        for (int i = skip; i < skip + count; i++)
        {
            var features = new float[size];
            for (int p = 0; p < size; p++) features[p] = (images[i * size + p] / 255f - 0.5f) / 0.5f;
            rows.Add(new ImageRow { Features = features, Label = FashionClasses[labels[i]] });
        }
        return rows;
    }

    /// <summary>Reads the first <paramref name="items"/> items of a gzipped idx file (big-endian header).</summary>
    private static byte[] ReadIdx(string path, int magic, int items, out int[] dims)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        Span<byte> header = stackalloc byte[4];
        stream.ReadExactly(header);
        int found = BinaryPrimitives.ReadInt32BigEndian(header);
        Assert.Equal(magic, found);
        int rank = found & 0xFF;
        dims = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            stream.ReadExactly(header);
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(header);
        }
        Assert.True(items <= dims[0], $"{path} has only {dims[0]} items");
        int itemSize = 1;
        for (int d = 1; d < rank; d++) itemSize *= dims[d];
        var data = new byte[items * itemSize];
        stream.ReadExactly(data);
        return data;
    }

    /// <summary>
    /// Synthetic images: each class is a different bright square position on noise, so small nets learn it quickly.
    /// </summary>
    internal static List<ImageRow> Synthetic(int count, int channels, int height, int width, int classes, int seed)
    {
        var random = new Random(seed);
        var rows = new List<ImageRow>(count);
        for (int i = 0; i < count; i++)
        {
            int label = i % classes;
            var features = new float[channels * height * width];
            for (int p = 0; p < features.Length; p++) features[p] = (float)(random.NextDouble() - 0.5);
            int y0 = (label * 3) % Math.Max(1, height - 3), x0 = (label * 5) % Math.Max(1, width - 3);
            for (int c = 0; c < channels; c++)
                for (int y = y0; y < y0 + 3; y++)
                    for (int x = x0; x < x0 + 3; x++)
                        features[(c * height + y) * width + x] += 2f;
            rows.Add(new ImageRow { Features = features, Label = $"class{label}" });
        }
        return rows;
    }

    /// <summary>An IDataView of <paramref name="rows"/> whose Features column is a (C, H, W) float vector.</summary>
    internal static IDataView View(MLContext context, IEnumerable<ImageRow> rows, params int[] dimensions)
    {
        var definition = SchemaDefinition.Create(typeof(ImageRow));
        definition[nameof(ImageRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimensions);
        return context.Data.LoadFromEnumerable(rows, definition);
    }

    /// <summary>Maps the text Label to a key column (the trainer's expected label).</summary>
    internal static IDataView WithKeyLabel(MLContext context, IDataView data, IDataView? fitOn = null) =>
        context.Transforms.Conversion.MapValueToKey("Label").Fit(fitOn ?? data).Transform(data);
}
