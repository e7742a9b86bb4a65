using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.TestSupport;

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
    internal static readonly string[] FashionClasses = [.. PixMix.Imaging.Sources.FashionMnist.ClassNames];

    internal static string FixturePath(string name) => RepositoryRoot.Combine("tests", "PixMix.MLNet.Tests", "Fixtures", "torch", name);

    /// <summary>
    /// The first <paramref name="count"/> images of a Fashion-MNIST split ("train" or "t10k"), normalised like the
    /// paper's CIFAR recipe ((x / 255 - 0.5) / 0.5), as 1 x 28 x 28 rows with their class names.
    /// </summary>
    internal static List<ImageRow> FashionMnist(string split, int count, int skip = 0)
    {
        var source = split == "train" ? s_train.Value : split == "t10k" ? s_test.Value
            : throw new ArgumentException($"split must be 'train' or 't10k', got '{split}'.", nameof(split));
        Assert.True(skip + count <= source.Count, $"Fashion-MNIST {split} has only {source.Count} items");
        int size = source.Width * source.Height * source.Channels;
        var pixels = new byte[size];
        var rows = new List<ImageRow>(count);
        for (int i = skip; i < skip + count; i++)
        {
            source.ReadImage(i, pixels);
            var features = new float[size];
            for (int p = 0; p < size; p++) features[p] = (pixels[p] / 255f - 0.5f) / 0.5f;
            rows.Add(new ImageRow { Features = features, Label = FashionClasses[source.ReadLabel(i)] });
        }
        return rows;
    }

    private static readonly Lazy<PixMix.Imaging.Sources.IdxImageSource> s_train = new(() => PixMix.Imaging.Sources.FashionMnist.Open(train: true));
    private static readonly Lazy<PixMix.Imaging.Sources.IdxImageSource> s_test = new(() => PixMix.Imaging.Sources.FashionMnist.Open(train: false));

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
