using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.MLNet.Data;
using PixMix.MLNet.Models;
using PixMix.MLNet.Training;
using PixMix.MLNet.Scoring;
using static TorchSharp.torch;

namespace PixMix.MLNet.Tests.Training;

public class DeterminismAndResumeTests
{
    private readonly MLContext _context = new(seed: 1);
    private readonly IDataView _data;

    public DeterminismAndResumeTests()
    {
        TorchTestSettings.UseOneThread();
        var rows = TrainingTestData.Synthetic(90, 2, 8, 8, 3, seed: 5);
        _data = TrainingTestData.WithKeyLabel(_context, TrainingTestData.View(_context, rows, 2, 8, 8));
    }

    private static ImageClassifierOptions TinyOptions() => new()
    {
        Architecture = ModelArchitecture.SmallCnn,
        Dropout = 0.3,            // exercises torch's generator
        Epochs = 3,
        BatchSize = 16,           // 90 rows: 5 full batches and one of 10
        LearningRate = 0.05,
        Seed = 11,
        ShuffleWindow = 40,       // windows of 40, 40 and 10 rows
        DataThreads = 3,
        TorchThreads = 1,
    };

    private static Dictionary<string, float[]> Weights(ImageClassificationTransformer model) =>
        model.Network.state_dict().Where(p => p.Value.dtype == ScalarType.Float32)
            .ToDictionary(p => p.Key, p => p.Value.cpu().data<float>().ToArray());

    private static void AssertIdentical(Dictionary<string, float[]> expected, Dictionary<string, float[]> actual)
    {
        Assert.Equal(expected.Keys.OrderBy(k => k), actual.Keys.OrderBy(k => k));
        foreach (var (key, values) in expected)
            Assert.True(values.AsSpan().SequenceEqual(actual[key]), $"'{key}' differs");
    }

    [Fact]
    public void SameSeedGivesIdenticalWeightsWhateverTheReaderThreads()
    {
        using var first = new ImageClassificationTrainer(_context, TinyOptions()).Fit(_data);
        var options = TinyOptions();
        options.DataThreads = 1;
        options.PrefetchBatches = 1;
        using var second = new ImageClassificationTrainer(_context, options).Fit(_data);
        AssertIdentical(Weights(first), Weights(second));
        // BatchNorm running statistics are part of the state too.
        Assert.Contains(Weights(first).Keys, k => k.EndsWith("running_var"));

        options = TinyOptions();
        options.Seed = 12;
        using var other = new ImageClassificationTrainer(_context, options).Fit(_data);
        Assert.False(Weights(first)["fc.weight"].AsSpan().SequenceEqual(Weights(other)["fc.weight"]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // channels-last weights and momentum buffers are written contiguous and converted back
    public void ResumingFromACheckpointEqualsTheUninterruptedRun(bool channelsLast)
    {
        var directory = Directory.CreateTempSubdirectory("pixmix-checkpoints-");
        ImageClassifierOptions TinyOptions()
        {
            var options = DeterminismAndResumeTests.TinyOptions();
            options.ChannelsLast = channelsLast;
            return options;
        }
        try
        {
            using var uninterrupted = new ImageClassificationTrainer(_context, TinyOptions()).Fit(_data);

            var firstPart = TinyOptions();
            firstPart.CheckpointDirectory = directory.FullName;
            firstPart.StopAfterEpochs = 1;
            using (var stopped = new ImageClassificationTrainer(_context, firstPart).Fit(_data))
                Assert.Single(stopped.TrainingSummary!.History);
            Assert.Equal(["epoch-0001.ckpt"], Directory.GetFiles(directory.FullName).Select(Path.GetFileName));

            var secondPart = TinyOptions();
            secondPart.ResumeFrom = directory.FullName;
            using var resumed = new ImageClassificationTrainer(_context, secondPart).Fit(_data);
            Assert.Equal(1, resumed.TrainingSummary!.StartEpoch);
            Assert.Equal([1, 2], resumed.TrainingSummary.History.Select(h => h.Epoch));
            Assert.Equal(uninterrupted.TrainingSummary!.Steps, resumed.TrainingSummary.Steps);
            AssertIdentical(Weights(uninterrupted), Weights(resumed));
            for (int e = 1; e < 3; e++)
                Assert.Equal(uninterrupted.TrainingSummary.History[e].Loss, resumed.TrainingSummary.History[e - 1].Loss);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void ResumingWithDifferentOptionsFailsClearly()
    {
        var directory = Directory.CreateTempSubdirectory("pixmix-checkpoints-");
        try
        {
            var options = TinyOptions();
            options.Epochs = 2;
            options.StopAfterEpochs = 1;
            options.CheckpointDirectory = directory.FullName;
            new ImageClassificationTrainer(_context, options).Fit(_data).Dispose();

            var other = TinyOptions();
            other.Epochs = 2;
            other.BatchSize = 8;
            other.ResumeFrom = Path.Combine(directory.FullName, "epoch-0001.ckpt");
            var error = Assert.Throws<PixMix.Imaging.Core.InvalidInputDataException>(() => new ImageClassificationTrainer(_context, other).Fit(_data));
            Assert.EndsWith("epoch-0001.ckpt", error.Path);
            Assert.Contains("epoch-0001.ckpt", error.Message);
            Assert.Contains("steps", error.Message);

            var missing = TinyOptions();
            missing.ResumeFrom = Path.Combine(directory.FullName, "nope.ckpt");
            var notFound = Assert.Throws<FileNotFoundException>(() => new ImageClassificationTrainer(_context, missing).Fit(_data));
            Assert.Contains("nope.ckpt", notFound.Message);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void EveryEpochReadsTheAugmentedPassOfThatEpoch()
    {
        var probe = new PassProbe(_data);
        var options = TinyOptions();
        options.DataThreads = 2;
        new ImageClassificationTrainer(_context, options).Fit(probe).Dispose();
        // Two readers per epoch, each creating its cursor inside the epoch's augmentation pass.
        Assert.Equal([0L, 0L, 1L, 1L, 2L, 2L], probe.Passes.OrderBy(p => p));
    }

    /// <summary>Records the augmentation pass in force when each cursor is created.</summary>
    private sealed class PassProbe(IDataView source) : IDataView
    {
        public List<long?> Passes { get; } = [];
        public bool CanShuffle => source.CanShuffle;
        public DataViewSchema Schema => source.Schema;
        public long? GetRowCount() => source.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            var columns = columnsNeeded.ToList();
            if (columns.Count > 0) lock (Passes) Passes.Add(AugmentationPass.Current?.Epoch);
            return source.GetRowCursor(columns, rand);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [GetRowCursor(columnsNeeded, rand)];
    }
}
