using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using PixMix.Imaging;
using PixMix.Imaging.Mixing;
using PixMix.MLNet.Data;
using PixMix.MLNet.Transforms;
using PixMix.TestSupport;

namespace PixMix.MLNet.Tests.Transforms;

public class PixMixTransformTests
{
    private static readonly PixMixRecipe Recipe28 = PixMixRecipe.Cifar with { Size = 28, MixingResize = 32 };

    private static PixMixOptions Options28(long seed = 7, GreyHandling grey = GreyHandling.KeepSingleChannel) => new()
    {
        OutputColumnName = "Features", InputColumnName = "Pixels", Recipe = Recipe28, Seed = seed, GreyHandling = grey,
        MixingSet = MixingSet.Fractals(count: 8, seed: 3),
    };

    // (p / 255 - 0.5) / 0.5: the CIFAR normalization, written out independently of the library.
    private static float Normalized(byte p) => (p / 255f - 0.5f) / 0.5f;

    [Fact]
    public void ImagePipelineLoadResizePixMixMapValueToKeyFitsAndGivesNormalizedPixelsOfTheResizedImages()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 1);
        var files = ml.Data.LoadFromEnumerable(FashionMnistSample.WritePngs(folder.Path, 6));

        var pipeline = ml.Transforms.LoadImages("Image", folder.Path, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", 32, 32, "Image"))
            .Append(ml.Transforms.PixMix("Features", "Image", MixingSet.Fractals(8, 1)))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"));
        var model = pipeline.Fit(files);
        var output = model.Transform(files);

        var type = Assert.IsType<VectorDataViewType>(output.Schema["Features"].Type);
        Assert.Equal(NumberDataViewType.Single, type.ItemType);
        Assert.Equal([3, 32, 32], type.Dimensions.ToArray());
        Assert.IsType<KeyDataViewType>(output.Schema["Label"].Type);

        // The pixels the transform should read: the resized images, read here through MLImage.Pixels independently.
        var resizedOnly = ml.Transforms.LoadImages("Image", folder.Path, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", 32, 32, "Image")).Fit(files).Transform(files);
        var expected = new List<float[]>();
        using (var cursor = resizedOnly.GetRowCursor([resizedOnly.Schema["Image"]]))
        {
            var getter = cursor.GetGetter<MLImage>(resizedOnly.Schema["Image"]);
            MLImage image = null!;
            while (cursor.MoveNext())
            {
                getter(ref image);
                var px = image.Pixels;
                bool bgra = image.PixelFormat == MLPixelFormat.Bgra32;
                var chw = new float[3 * 32 * 32];
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++)
                    {
                        int o = (y * 32 + x) * 4;
                        byte r = px[o + (bgra ? 2 : 0)], g = px[o + 1], b = px[o + (bgra ? 0 : 2)];
                        chw[y * 32 + x] = Normalized(r); chw[1024 + y * 32 + x] = Normalized(g); chw[2048 + y * 32 + x] = Normalized(b);
                    }
                expected.Add(chw);
            }
        }

        var actual = ViewReader.Read(output, "Features");
        Assert.Equal(6, actual.Count);
        for (int i = 0; i < 6; i++)
            AssertClose(expected[i], actual[i]);
        // Fashion-MNIST is grey: the three channels agree, and the pictures differ from each other.
        Assert.Equal(actual[0].AsSpan(0, 1024).ToArray(), actual[0].AsSpan(1024, 1024).ToArray());
        Assert.NotEqual(actual[0], actual[1]);
    }

    [Fact]
    public void ByteVectorPlainTransformIsTheDeterministicNormalizationAndRepeatable()
    {
        var ml = new MLContext(seed: 1);
        var data = FashionMnistSample.ByteVectorView(ml, 5);
        var model = ml.Transforms.PixMix(Options28()).Fit(data);
        var output = model.Transform(data);

        Assert.Equal([1, 28, 28], ((VectorDataViewType)output.Schema["Features"].Type).Dimensions.ToArray());
        var first = ViewReader.Read(output, "Features");
        var second = ViewReader.Read(model.Transform(data), "Features");
        for (int i = 0; i < 5; i++)
        {
            var pixels = FashionMnistSample.Images[i];
            AssertClose(pixels.Select(Normalized).ToArray(), first[i]);
            Assert.Equal(first[i], second[i]);
        }
    }

    [Fact]
    public void GreyInputReplicateToRgbGivesThreeEqualChannels()
    {
        var ml = new MLContext(seed: 1);
        var data = FashionMnistSample.ByteVectorView(ml, 2);
        var output = ml.Transforms.PixMix(Options28(grey: GreyHandling.ReplicateToRgb)).Fit(data).Transform(data);
        Assert.Equal([3, 28, 28], ((VectorDataViewType)output.Schema["Features"].Type).Dimensions.ToArray());
        var row = ViewReader.Read(output, "Features")[1];
        var expected = FashionMnistSample.Images[1].Select(Normalized).ToArray();
        AssertClose(expected, row.AsSpan(0, 784).ToArray());
        AssertClose(expected, row.AsSpan(784, 784).ToArray());
        AssertClose(expected, row.AsSpan(1568, 784).ToArray());
    }

    [Fact]
    public void FloatVectorInUnitRangeWithInputShapeMatchesTheByteInput()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 3).Select(i => new FloatRow { Values = FashionMnistSample.Images[i].Select(b => b / 255f).ToArray() }).ToList();
        var definition = SchemaDefinition.Create(typeof(FloatRow));
        definition[nameof(FloatRow.Values)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 784);
        var data = ml.Data.LoadFromEnumerable(rows, definition);
        var options = Options28();
        options.InputColumnName = "Values";
        options.InputShape = new ImageShape(28, 28, 1);
        options.FloatRange = PixelValueRange.ZeroToOne;
        var actual = ViewReader.Read(ml.Transforms.PixMix(options).Fit(data).Transform(data), "Features");
        for (int i = 0; i < 3; i++) AssertClose(FashionMnistSample.Images[i].Select(Normalized).ToArray(), actual[i]);
    }

    [Fact]
    public void PredictionEngineGivesTheDeterministicOutputOnRepeatedCalls()
    {
        var ml = new MLContext(seed: 1);
        var data = FashionMnistSample.ByteVectorView(ml, 3);
        var model = ml.Transforms.PixMix(Options28()).Fit(data);
        var engine = ml.Model.CreatePredictionEngine<FashionMnistSample.PixelRow, FeaturesRow>(model, inputSchemaDefinition: PixelDefinition());
        var input = new FashionMnistSample.PixelRow { Pixels = FashionMnistSample.Images[2], Label = "x" };
        var a = engine.Predict(input).Features;
        var b = engine.Predict(input).Features;
        AssertClose(FashionMnistSample.Images[2].Select(Normalized).ToArray(), a);
        Assert.Equal(a, b);
        var other = engine.Predict(new FashionMnistSample.PixelRow { Pixels = FashionMnistSample.Images[0], Label = "x" }).Features;
        AssertClose(FashionMnistSample.Images[0].Select(Normalized).ToArray(), other);
    }

    [Fact]
    public void AugmentedPassesDifferByEpochReproduceBySeedAndMatchTheProcessorWithTheRowStream()
    {
        var ml = new MLContext(seed: 1);
        var data = new ImageSourceDataView(FashionMnistSample.Source(6));
        var options = Options28(seed: 11);
        options.InputColumnName = "Image";
        var view = ml.Transforms.PixMix(options).Fit(data).Transform(data);

        var epoch0 = ViewReader.Read(ml.Data.Augment(view, 0), "Features");
        var epoch1 = ViewReader.Read(ml.Data.Augment(view, 1), "Features");
        var epoch0Again = ViewReader.Read(ml.Data.Augment(view, 0), "Features");
        var refit = ml.Transforms.PixMix(Options28(seed: 11) is var o ? WithInput(o, "Image") : null!).Fit(data).Transform(data);
        var epoch0Refit = ViewReader.Read(ml.Data.Augment(refit, 0), "Features");
        var otherSeed = ViewReader.Read(ml.Data.Augment(ml.Transforms.PixMix(WithInput(Options28(seed: 12), "Image")).Fit(data).Transform(data), 0), "Features");
        var plain = ViewReader.Read(view, "Features");

        // Every image is augmented with the stream (seed, epoch, row), exactly as the processor does it alone.
        var processor = new PixMixImageProcessor(Recipe28, MixingSet.Fractals(count: 8, seed: 3), 1);
        var ws = new PixMixImageProcessor.Workspace();
        for (int r = 0; r < 6; r++)
        {
            var expected = new float[784];
            var rng = PixMixRandom.For(11, 1, r);
            processor.Augment(new ImageU8(28, 28, 1, FashionMnistSample.Images[r]), expected, ref rng, ws);
            Assert.Equal(expected, epoch1[r]);

            Assert.Equal(epoch0[r], epoch0Again[r]);
            Assert.Equal(epoch0[r], epoch0Refit[r]);
            Assert.NotEqual(epoch0[r], epoch1[r]);
            Assert.NotEqual(epoch0[r], otherSeed[r]);
            Assert.NotEqual(plain[r], epoch0[r]);
        }
    }

    [Fact]
    public void AugmentedPassCursorSetOfThreeEqualsSingleCursorRowByRowId()
    {
        var ml = new MLContext(seed: 1);
        var data = new ImageSourceDataView(FashionMnistSample.Source(12));
        var view = ml.Transforms.PixMix(WithInput(Options28(seed: 5), "Image")).Fit(data).Transform(data);
        var augmented = ml.Data.Augment(view, 3);

        var single = ViewReader.ReadWithIds(augmented, "Features");
        var set = ViewReader.ReadWithCursorSet(augmented, "Features", 3, out int cursors);

        Assert.Equal(3, cursors);
        Assert.Equal(single.Select(r => r.Id), set.Select(r => r.Id));
        for (int i = 0; i < single.Count; i++) Assert.Equal(single[i].Values, set[i].Values);
        // And the plain (deterministic) pass through a cursor set agrees with one cursor too.
        var plainSet = ViewReader.ReadWithCursorSet(view, "Features", 3, out _);
        AssertClose(FashionMnistSample.Images[7].Select(Normalized).ToArray(), plainSet[7].Values);
    }

    [Fact]
    public void MissingColumnIsReportedByName()
    {
        var ml = new MLContext(seed: 1);
        var data = FashionMnistSample.ByteVectorView(ml, 1);
        var options = Options28();
        options.InputColumnName = "Photo";
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.PixMix(options).Fit(data));
        Assert.Contains("Column 'Photo' not found", ex.Message);
        Assert.Contains("'Pixels'", ex.Message);
    }

    [Fact]
    public void TextColumnIsRefusedWithTheExpectedTypes()
    {
        var ml = new MLContext(seed: 1);
        var data = FashionMnistSample.ByteVectorView(ml, 1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.PixMix("Features", "Label").Fit(data));
        Assert.Contains("Column 'Label' has type String", ex.Message);
        Assert.Contains("expected an image or a known-size vector of bytes/floats of H*W*C values", ex.Message);
    }

    [Fact]
    public void FlatVectorWithoutShapeSaysTheImageSizeIsUnknownAndAWrongShapeIsRefused()
    {
        var ml = new MLContext(seed: 1);
        var definition = SchemaDefinition.Create(typeof(FloatRow));
        definition[nameof(FloatRow.Values)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 784);
        var data = ml.Data.LoadFromEnumerable(new[] { new FloatRow { Values = new float[784] } }, definition);

        var unknown = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.PixMix("Features", "Values").Fit(data));
        Assert.Contains("Column 'Values' is a vector of 784 values without image dimensions, so the image size is unknown", unknown.Message);

        var options = Options28();
        options.InputColumnName = "Values";
        options.InputShape = new ImageShape(32, 32, 3);
        var wrong = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.PixMix(options).Fit(data));
        Assert.Contains("Column 'Values' holds 784 values per row, but PixMixOptions.InputShape 32x32x3 (height x width x channels) needs 3072", wrong.Message);

        // The transformer checks the schema it is applied to as well.
        var model = ml.Transforms.PixMix(Options28()).Fit(FashionMnistSample.ByteVectorView(ml, 1));
        var onOther = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(data));
        Assert.Contains("Column 'Pixels' not found", onOther.Message);
    }

    [Fact]
    public void InvalidOptionsAreNamed()
    {
        var ml = new MLContext(seed: 1);
        var options = Options28();
        options.Recipe = Recipe28 with { Parameters = PixMixParameters.Cifar with { K = 40 } };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.PixMix(options));
        Assert.Contains("'K'", ex.Message);
        options = Options28();
        options.InputShape = new ImageShape(28, 28, 2);
        Assert.Contains("'InputShape'", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.PixMix(options)).Message);
    }

    [Fact]
    public void EstimatorSchemaShapeAppendsAFloatVectorOrNamesTheMissingColumn()
    {
        var input = new SchemaShape([SchemaShapeColumns.FloatVector("Values", 784)]);
        var options = Options28();
        options.InputColumnName = "Values";
        options.InputShape = new ImageShape(28, 28, 1);
        var shape = new PixMixEstimator(options).GetOutputSchema(input);
        var features = shape.Single(c => c.Name == "Features");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, features.Kind);
        Assert.Equal(NumberDataViewType.Single, features.ItemType);
        Assert.Contains(shape, c => c.Name == "Values");

        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => new PixMixEstimator(Options28()).GetOutputSchema(input));
        Assert.Contains("Column 'Pixels' not found", missing.Message);
    }

    [Fact]
    public void RgbaImagesFromPixelsAreReadAsRgb()
    {
        var ml = new MLContext(seed: 1);
        // A 28x28 RGBA picture whose channels are distinct functions of the Fashion-MNIST pixel.
        var src = FashionMnistSample.Images[3];
        var rgba = new byte[28 * 28 * 4];
        for (int i = 0; i < 784; i++) { rgba[4 * i] = src[i]; rgba[4 * i + 1] = (byte)(255 - src[i]); rgba[4 * i + 2] = (byte)(src[i] / 2); rgba[4 * i + 3] = 255; }
        var rows = new[] { new ImageRow { Image = MLImage.CreateFromPixels(28, 28, MLPixelFormat.Rgba32, rgba) } };
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = Options28();
        options.InputColumnName = "Image";
        var actual = ViewReader.Read(ml.Transforms.PixMix(options).Fit(data).Transform(data), "Features")[0];
        Assert.Equal(3 * 784, actual.Length);
        for (int i = 0; i < 784; i++)
        {
            Assert.Equal(Normalized(src[i]), actual[i], 1e-5f);
            Assert.Equal(Normalized((byte)(255 - src[i])), actual[784 + i], 1e-5f);
            Assert.Equal(Normalized((byte)(src[i] / 2)), actual[1568 + i], 1e-5f);
        }
    }

    /// <summary>Equal within float rounding (the library multiplies by reciprocals where the expectation divides).</summary>
    internal static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance)) Assert.Fail($"value {i}: expected {expected[i]}, actual {actual[i]}.");
    }

    private static PixMixOptions WithInput(PixMixOptions o, string input) { o.InputColumnName = input; return o; }

    internal static SchemaDefinition PixelDefinition()
    {
        var definition = SchemaDefinition.Create(typeof(FashionMnistSample.PixelRow));
        definition[nameof(FashionMnistSample.PixelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, 28, 28, 1);
        return definition;
    }

    public sealed class FloatRow
    {
        public float[] Values { get; set; } = [];
    }

    public sealed class ImageRow
    {
        [ImageType(28, 28)]
        public MLImage? Image { get; set; }
    }

    public sealed class FeaturesRow
    {
        public float[] Features { get; set; } = [];
    }
}
