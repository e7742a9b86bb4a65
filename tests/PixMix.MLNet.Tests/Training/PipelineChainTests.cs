using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.Imaging.Mixing;
using PixMix.MLNet.Models;
using PixMix.MLNet.Persistence;
using PixMix.MLNet.Training;
using PixMix.MLNet.Tests.Transforms;
using PixMix.MLNet.Transforms;
using PixMix.TestSupport;

namespace PixMix.MLNet.Tests.Training;

/// <summary>
/// ML.NET's usual multiclass chain around the image classifier: MapValueToKey on the label, PixMix, the classifier and
/// MapKeyToValue("PredictedLabel"), fitted as one pipeline, used through PredictionEngine and saved in a model file.
/// </summary>
public sealed class PipelineChainTests
{
    private const int Images = 48;

    public PipelineChainTests() => TorchTestSettings.UseOneThread();

    private static IEstimator<ITransformer> Pipeline(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.PixMix(new PixMixOptions
            {
                InputColumnName = "Pixels", OutputColumnName = "Features", MixingSet = MixingSet.Fractals(8, 0), Seed = 3,
                Recipe = PixMixRecipe.Cifar with { Size = 28, MixingResize = 32 },
            }))
            .Append(ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
            {
                Architecture = ModelArchitecture.SmallCnn, Epochs = 1, BatchSize = 16, Seed = 5, TorchThreads = 1,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    private static string[] SlotNames(IDataView scored)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        scored.Schema["Score"].GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    private static int ArgMax(float[] scores)
    {
        int best = 0;
        for (int i = 1; i < scores.Length; i++) if (scores[i] > scores[best]) best = i;
        return best;
    }

    [Fact]
    public void MapKeyToValueAfterTheClassifierFitsAndPredictsTheTextLabels()
    {
        var ml = new MLContext(seed: 1);
        var data = FashionMnistSample.ByteVectorView(ml, Images);
        var model = Pipeline(ml).Fit(data);

        var scored = model.Transform(data);
        Assert.Equal(TextDataViewType.Instance, scored.Schema["PredictedLabel"].Type);
        var classes = SlotNames(scored);
        var present = FashionMnistSample.Labels.Take(Images).Distinct().Select(l => FashionMnistSample.ClassNames[l]).ToHashSet();
        Assert.Equal(present.Count, classes.Length);
        Assert.Subset(present, classes.ToHashSet());

        // The prediction engine gives the class name of the best score, for every image.
        var engine = ml.Model.CreatePredictionEngine<FashionMnistSample.PixelRow, TextPrediction>(model, inputSchemaDefinition: PixMixTransformTests.PixelDefinition());
        for (int i = 0; i < Images; i++)
        {
            var p = engine.Predict(new FashionMnistSample.PixelRow { Pixels = FashionMnistSample.Images[i], Label = FashionMnistSample.ClassNames[FashionMnistSample.Labels[i]] });
            Assert.Equal(classes.Length, p.Score.Length);
            Assert.Equal(classes[ArgMax(p.Score)], p.PredictedLabel);
        }
        foreach (var part in (IEnumerable<ITransformer>)model) (part as IDisposable)?.Dispose();
    }

    [Fact]
    public void TheChainRoundTripsThroughAModelFileWithIdenticalScoresAndMappedLabels()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 1);
        var data = FashionMnistSample.ByteVectorView(ml, Images);
        var model = Pipeline(ml).Fit(data);
        var path = Path.Combine(folder.Path, "chain.zip");

        ml.Model.SavePixMixModel(model, data.Schema, path);
        var loaded = ml.Model.LoadPixMixModel(path, out var inputSchema);

        Assert.Equal(data.Schema.Select(c => c.Name), inputSchema.Select(c => c.Name));
        var before = model.Transform(data);
        var after = loaded.Transform(data);
        Assert.Equal(TextDataViewType.Instance, after.Schema["PredictedLabel"].Type);
        Assert.Equal(before.GetColumn<string>("PredictedLabel").ToArray(), after.GetColumn<string>("PredictedLabel").ToArray());
        Assert.Equal(before.GetColumn<float[]>("Score").ToArray(), after.GetColumn<float[]>("Score").ToArray());
        Assert.Equal(SlotNames(before), SlotNames(after));

        var definition = PixMixTransformTests.PixelDefinition();
        var original = ml.Model.CreatePredictionEngine<FashionMnistSample.PixelRow, TextPrediction>(model, inputSchemaDefinition: definition);
        var reloaded = ml.Model.CreatePredictionEngine<FashionMnistSample.PixelRow, TextPrediction>(loaded, inputSchemaDefinition: definition);
        for (int i = 0; i < Images; i += 5)
        {
            var row = new FashionMnistSample.PixelRow { Pixels = FashionMnistSample.Images[i], Label = FashionMnistSample.ClassNames[FashionMnistSample.Labels[i]] };
            var a = original.Predict(row);
            var b = reloaded.Predict(row);
            Assert.Equal(a.Score, b.Score);
            Assert.Equal(a.PredictedLabel, b.PredictedLabel);
            Assert.Contains(b.PredictedLabel, FashionMnistSample.ClassNames);
        }
        foreach (var part in ((IEnumerable<ITransformer>)model).Concat((IEnumerable<ITransformer>)loaded)) (part as IDisposable)?.Dispose();
    }

    [Fact]
    public void IntegerLabelsKeepTheirKeyValuesThroughTheClassifierAndAModelFile()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 1);
        // Label values that are not the key indices: the class index times 10, plus 7.
        var rows = Enumerable.Range(0, Images).Select(i => new IntLabelRow { Pixels = FashionMnistSample.Images[i], Label = FashionMnistSample.Labels[i] * 10 + 7 }).ToList();
        var definition = SchemaDefinition.Create(typeof(IntLabelRow));
        definition[nameof(IntLabelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, 28, 28, 1);
        var data = ml.Data.LoadFromEnumerable(rows, definition);
        var model = Pipeline(ml).Fit(data);

        var scored = model.Transform(data);
        Assert.Equal(NumberDataViewType.Int32, scored.Schema["PredictedLabel"].Type);
        var values = rows.Select(r => r.Label).ToHashSet();
        var predicted = scored.GetColumn<int>("PredictedLabel").ToArray();
        Assert.All(predicted, p => Assert.Contains(p, values));
        Assert.Equal(values.OrderBy(v => v).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), SlotNames(scored).OrderBy(int.Parse));

        var path = Path.Combine(folder.Path, "int-labels.zip");
        ml.Model.SavePixMixModel(model, data.Schema, path);
        var loaded = ml.Model.LoadPixMixModel(path, out _);
        var reloaded = loaded.Transform(data);
        Assert.Equal(NumberDataViewType.Int32, reloaded.Schema["PredictedLabel"].Type);
        Assert.Equal(predicted, reloaded.GetColumn<int>("PredictedLabel").ToArray());

        var engine = ml.Model.CreatePredictionEngine<IntLabelRow, IntPrediction>(loaded, inputSchemaDefinition: definition);
        var p0 = engine.Predict(rows[0]);
        Assert.Equal(predicted[0], p0.PredictedLabel);
        foreach (var part in ((IEnumerable<ITransformer>)model).Concat((IEnumerable<ITransformer>)loaded)) (part as IDisposable)?.Dispose();
    }

    public sealed class TextPrediction
    {
        public string PredictedLabel { get; set; } = "";
        public float[] Score { get; set; } = [];
    }

    public sealed class IntLabelRow
    {
        public byte[] Pixels { get; set; } = [];
        public int Label { get; set; }
    }

    public sealed class IntPrediction
    {
        public int PredictedLabel { get; set; }
        public float[] Score { get; set; } = [];
    }
}
