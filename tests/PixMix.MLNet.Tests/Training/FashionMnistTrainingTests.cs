using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.MLNet.Models;
using PixMix.MLNet.Persistence;
using PixMix.MLNet.Training;
using PixMix.MLNet.Scoring;
using PixMix.MLNet.Tests.Persistence;

namespace PixMix.MLNet.Tests.Training;

/// <summary>A small CNN trained once on 1,000 real Fashion-MNIST images, shared by the tests of this class.</summary>
public sealed class FashionMnistModel : IDisposable
{
    public FashionMnistModel()
    {
        TorchTestSettings.UseOneThread();
        Context = new MLContext(seed: 1);
        Context.Log += (_, e) =>
        {
            if (e.Source != nameof(ImageClassificationTrainer)) return;
            lock (LogMessages) { LogMessages.Add(e.Message); LogKinds.Add(e.Kind); }
        };
        var trainRows = TrainingTestData.FashionMnist("train", 1000);
        var testRows = TrainingTestData.FashionMnist("t10k", 500);
        var trainView = TrainingTestData.View(Context, trainRows, 1, 28, 28);
        var testView = TrainingTestData.View(Context, testRows, 1, 28, 28);
        var keys = Context.Transforms.Conversion.MapValueToKey("Label").Fit(trainView);
        RawTest = testView;
        Train = keys.Transform(trainView);
        Test = keys.Transform(testView);
        TestRows = testRows;
        var options = new ImageClassifierOptions
        {
            Architecture = ModelArchitecture.SmallCnn,
            Dropout = 0,
            Epochs = 4,
            BatchSize = 50,
            LearningRate = 0.05,
            Seed = 7,
            ProgressInterval = 5,
            Progress = new SynchronousProgress<TrainingProgress>(p => { lock (Reports) Reports.Add(p); }),
        };
        Model = new ImageClassificationTrainer(Context, options).Fit(Train, Test);
    }

    public MLContext Context { get; }
    public IDataView Train { get; }
    public IDataView Test { get; }
    public IDataView RawTest { get; }
    public List<ImageRow> TestRows { get; }
    public ImageClassificationTransformer Model { get; }
    public List<TrainingProgress> Reports { get; } = [];
    public List<string> LogMessages { get; } = [];
    public List<Microsoft.ML.Runtime.ChannelMessageKind> LogKinds { get; } = [];

    public void Dispose() => Model.Dispose();
}

/// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

public class FashionMnistTrainingTests(FashionMnistModel fixture) : IClassFixture<FashionMnistModel>
{
    [Fact]
    public void TrainingReducesTheLossAndBeatsChanceClearly()
    {
        var summary = fixture.Model.TrainingSummary!;
        Assert.Equal(4, summary.History.Count);
        Assert.True(summary.History[^1].Loss < summary.History[0].Loss * 0.8,
            $"loss {summary.History[0].Loss} -> {summary.History[^1].Loss}");
        Assert.Equal(4 * 20, summary.Steps); // 1000 rows in batches of 50
        Assert.Equal(4000, summary.Images);
        Assert.InRange(summary.DataWaitFraction, 0, 1);
        Assert.True(summary.ComputeSeconds > 0);
        // The device waits are a part of the training time, and the run's is the sum of its epochs'.
        Assert.InRange(summary.DeviceWaitSeconds, 0, summary.TrainingSeconds);
        Assert.Equal(summary.History.Sum(e => e.DeviceWaitSeconds), summary.DeviceWaitSeconds, 9);
        Assert.All(summary.History, e => Assert.InRange(e.DeviceWaitSeconds, 0, e.Seconds));

        var metrics = fixture.Context.MulticlassClassification.Evaluate(fixture.Model.Transform(fixture.Test));
        // Chance is 10%; a small CNN reaches about 70% on 500 held-out images after 4 short epochs.
        Assert.True(metrics.MicroAccuracy > 0.55, $"accuracy {metrics.MicroAccuracy}");
        Assert.Equal(summary.History[^1].ValidationAccuracy!.Value, metrics.MicroAccuracy, 6);
    }

    [Fact]
    public void ProgressAndLogReportStepsEpochsAndDataWait()
    {
        List<TrainingProgress> reports;
        lock (fixture.Reports) reports = [.. fixture.Reports];
        var epochEnds = reports.Where(r => r.Kind == TrainingProgressKind.EpochEnd).ToList();
        Assert.Equal([0, 1, 2, 3], epochEnds.Select(r => r.Epoch));
        Assert.All(epochEnds, r => Assert.NotNull(r.ValidationAccuracy));
        var steps = reports.Where(r => r.Kind == TrainingProgressKind.Step).ToList();
        Assert.NotEmpty(steps);
        Assert.All(reports, r =>
        {
            Assert.InRange(r.DataWaitFraction, 0, 1);
            Assert.True(r.ImagesPerSecond > 0);
            Assert.True(double.IsFinite(r.Loss));
        });
        // The learning rate follows the cosine schedule: 0.05 at the start, lower at the end.
        Assert.True(steps[0].LearningRate < 0.05 && steps[0].LearningRate > 0.045, $"lr {steps[0].LearningRate}");
        Assert.True(epochEnds[^1].LearningRate < 0.001);
        lock (fixture.LogMessages)
        {
            Assert.Contains(fixture.LogMessages, m => m.Contains("SmallCnn") && m.Contains("1000 rows"));
            Assert.Contains(fixture.LogMessages, m => m.Contains("epoch 4/4") && m.Contains("data-wait"));
        }
    }

    [Fact]
    public void TheLogHasOneInfoMessagePerEpochWithLossImagesPerSecondAndEta()
    {
        List<string> info;
        lock (fixture.LogMessages)
            info = fixture.LogMessages.Where((m, i) => fixture.LogKinds[i] == Microsoft.ML.Runtime.ChannelMessageKind.Info).ToList();
        for (int epoch = 1; epoch <= 4; epoch++)
        {
            var messages = info.Where(m => m.Contains($"epoch {epoch}/4, loss ", StringComparison.Ordinal)).ToList();
            var message = Assert.Single(messages);
            Assert.Matches(@"epoch \d/4, loss \d+\.\d{4}, images/s [\d.]+, ETA (\d+[smhd]|<1s)", message);
        }
        // The last epoch leaves nothing to do.
        Assert.Contains("epoch 4/4, loss", info.Last(m => m.Contains("epoch 4/4, loss", StringComparison.Ordinal)));
        Assert.Contains(", ETA 0s;", info.Single(m => m.Contains("epoch 4/4, loss", StringComparison.Ordinal)));
        // A 4-epoch run of 80 small steps is far from an hour: no long-run warning.
        lock (fixture.LogMessages) Assert.DoesNotContain(fixture.LogMessages, m => m.Contains("over an hour", StringComparison.Ordinal));
    }

    [Fact]
    public void TheRunIsEstimatedOnceAfterItsFirstStepsAndEveryLaterReportCarriesTheTimeLeft()
    {
        List<TrainingProgress> reports;
        lock (fixture.Reports) reports = [.. fixture.Reports];
        var estimate = Assert.Single(reports, r => r.Kind == TrainingProgressKind.Estimate);
        // The first step pays one-time costs; the estimate measures the next three.
        Assert.Equal(4, estimate.Step);
        Assert.NotNull(estimate.SecondsLeft);
        Assert.True(estimate.SecondsLeft > 0);
        var epochEnds = reports.Where(r => r.Kind == TrainingProgressKind.EpochEnd).ToList();
        Assert.All(epochEnds, r => Assert.NotNull(r.SecondsLeft));
        Assert.Equal(0, epochEnds[^1].SecondsLeft);
        Assert.True(epochEnds[0].SecondsLeft > 0);
        Assert.All(epochEnds.Zip(epochEnds.Skip(1)), pair => Assert.True(pair.Second.ElapsedSeconds >= pair.First.ElapsedSeconds));
    }

    [Fact]
    public void ScoreAndPredictedLabelCarryTheLabelsClassNames()
    {
        var scored = fixture.Model.Transform(fixture.Test);
        var score = scored.Schema["Score"];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 10), score.Type);
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        score.GetSlotNames(ref slotNames);
        var labelNames = new VBuffer<ReadOnlyMemory<char>>();
        fixture.Test.Schema["Label"].GetKeyValues(ref labelNames);
        Assert.Equal(labelNames.DenseValues().Select(v => v.ToString()), slotNames.DenseValues().Select(v => v.ToString()));
        Assert.Equal(10, slotNames.Length);
        Assert.Contains("Ankle boot", slotNames.DenseValues().Select(v => v.ToString()));

        // MapKeyToValue turns PredictedLabel back into the class names.
        var named = fixture.Context.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel").Fit(scored).Transform(scored);
        var predicted = named.GetColumn<ReadOnlyMemory<char>>("PredictedName").Select(v => v.ToString()).ToList();
        var scores = scored.GetColumn<float[]>("Score").ToList();
        var truth = fixture.TestRows.Select(r => r.Label).ToList();
        Assert.Equal(500, predicted.Count);
        Assert.All(predicted, p => Assert.Contains(p, TrainingTestData.FashionClasses));
        Assert.True(predicted.Zip(truth).Count(p => p.First == p.Second) > 275);
        // Scores are probabilities, and the predicted name is the slot with the highest score.
        var slots = slotNames.DenseValues().Select(v => v.ToString()).ToArray();
        for (int i = 0; i < 500; i++)
        {
            Assert.Equal(1f, scores[i].Sum(), 4);
            Assert.Equal(slots[Array.IndexOf(scores[i], scores[i].Max())], predicted[i]);
        }
    }

    [Fact]
    public void PredictionEngineScoresLikeTheBatchedTransform()
    {
        var batched = fixture.Model.Transform(fixture.Test).GetColumn<float[]>("Score").Take(20).ToList();
        var engine = fixture.Context.Model.CreatePredictionEngine<ImageRow, ScoredImage>(fixture.Model, fixture.RawTest.Schema);
        for (int i = 0; i < 20; i++)
        {
            var prediction = engine.Predict(fixture.TestRows[i]);
            Assert.Equal(10, prediction.Score.Length);
            for (int c = 0; c < 10; c++) Assert.Equal(batched[i][c], prediction.Score[c], 4);
        }
    }

    [Fact]
    public void SavedAndLoadedClassifierPredictsIdentically()
    {
        var directory = Directory.CreateTempSubdirectory("pixmix-classifier-");
        try
        {
            var path = Path.Combine(directory.FullName, "classifier.zip");
            fixture.Model.Save(path);
            using var loaded = ImageClassificationTransformer.Load(fixture.Context, path);
            Assert.Equal(fixture.Model.ModelSpec, loaded.ModelSpec);
            Assert.Equal(fixture.Model.ClassNames, loaded.ClassNames);
            Assert.Equal(fixture.Model.TrainingSummary!.Steps, loaded.TrainingSummary!.Steps);
            var expected = fixture.Model.Transform(fixture.Test).GetColumn<float[]>("Score").ToList();
            var actual = loaded.Transform(fixture.Test).GetColumn<float[]>("Score").ToList();
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i], actual[i]);
            var predictedNames = fixture.Context.Transforms.Conversion.MapKeyToValue("Name", "PredictedLabel")
                .Fit(loaded.Transform(fixture.Test)).Transform(loaded.Transform(fixture.Test))
                .GetColumn<ReadOnlyMemory<char>>("Name").Select(v => v.ToString()).ToList();
            Assert.All(predictedNames, p => Assert.Contains(p, TrainingTestData.FashionClasses));

            // As a part of a PixMix model file: the registered loader reads what SavePart wrote.
            var entries = new Dictionary<string, byte[]>();
            fixture.Model.SavePart(new MemoryPartWriter(entries));
            Assert.True(ModelPartRegistry.TryGet(ImageClassificationTransformer.Kind, out var loader, out var maxVersion));
            Assert.Equal(ImageClassificationTransformer.FormatVersion, maxVersion);
            using var part = (ImageClassificationTransformer)loader(fixture.Context, new MemoryPartReader(entries), fixture.Model.PartVersion);
            var fromPart = part.Transform(fixture.Test).GetColumn<float[]>("Score").ToList();
            for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i], fromPart[i]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void LoadingSomethingElseFailsClearly()
    {
        var directory = Directory.CreateTempSubdirectory("pixmix-classifier-");
        try
        {
            var notZip = Path.Combine(directory.FullName, "notes.txt");
            File.WriteAllText(notZip, "hello");
            var error = Assert.Throws<InvalidDataException>(() => ImageClassificationTransformer.Load(fixture.Context, notZip));
            Assert.Contains("notes.txt", error.Message);
            Assert.Contains("not a model file", error.Message);

            var newer = new Dictionary<string, byte[]>();
            fixture.Model.SavePart(new MemoryPartWriter(newer));
            Assert.True(ModelPartRegistry.TryGet(ImageClassificationTransformer.Kind, out var loader, out _));
            var versionError = Assert.Throws<InvalidDataException>(() => loader(fixture.Context, new MemoryPartReader(newer), 99));
            Assert.Contains("format version 99", versionError.Message);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    public sealed class ScoredImage
    {
        public float[] Score { get; set; } = [];
        public uint PredictedLabel { get; set; }
    }
}
