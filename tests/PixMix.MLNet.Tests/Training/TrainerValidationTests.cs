using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.MLNet.Models;
using PixMix.MLNet.Training;
using PixMix.MLNet.Native;

namespace PixMix.MLNet.Tests.Training;

public class TrainerValidationTests
{
    private readonly MLContext _context = new(seed: 1);

    public TrainerValidationTests() => TorchTestSettings.UseOneThread();

    private static ImageClassifierOptions Tiny() => new()
    {
        Architecture = ModelArchitecture.SmallCnn,
        Epochs = 1,
        BatchSize = 8,
        TorchThreads = 1,
    };

    private IDataView TinyData(int count = 24) =>
        TrainingTestData.WithKeyLabel(_context, TrainingTestData.View(_context, TrainingTestData.Synthetic(count, 1, 8, 8, 3, 2), 1, 8, 8));

    [Theory]
    [InlineData(nameof(ImageClassifierOptions.BatchSize), 0, "[1, 65536]")]
    [InlineData(nameof(ImageClassifierOptions.Epochs), 0, "[1, 100000]")]
    [InlineData(nameof(ImageClassifierOptions.LearningRate), -0.1, "(0, 10]")]
    [InlineData(nameof(ImageClassifierOptions.Momentum), 1.0, "[0, 1)")]
    [InlineData(nameof(ImageClassifierOptions.WeightDecay), -1.0, "[0, 1)")]
    [InlineData(nameof(ImageClassifierOptions.Dropout), 1.0, "[0, 1)")]
    [InlineData(nameof(ImageClassifierOptions.Depth), 12, "6n + 4")]
    [InlineData(nameof(ImageClassifierOptions.DataThreads), -1, "[0, 64]")]
    [InlineData(nameof(ImageClassifierOptions.MinLearningRate), 0.5, "[0, LearningRate = 0.1]")]
    public void OutOfRangeOptionsAreRejectedNamingTheOptionAndRange(string option, double value, string range)
    {
        var options = new ImageClassifierOptions();
        var property = typeof(ImageClassifierOptions).GetProperty(option)!;
        property.SetValue(options, property.PropertyType == typeof(int) ? (object)(int)value : value);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _context.MulticlassClassification.Trainers.ImageClassifier(options));
        Assert.Equal(option, error.ParamName);
        Assert.Contains($"ImageClassifierOptions.{option}", error.Message);
        Assert.Contains(range, error.Message);
    }

    [Fact]
    public void TheRecipeDefaultsAreThePapers()
    {
        var options = new ImageClassifierOptions();
        Assert.Equal(ModelArchitecture.WideResNet, options.Architecture);
        Assert.Equal((40, 4, 0.3), (options.Depth, options.Widen, options.Dropout));
        Assert.Equal((0.1, 1e-6, 0.9, true, 5e-4), (options.LearningRate, options.MinLearningRate, options.Momentum, options.Nesterov, options.WeightDecay));
        Assert.Equal((128, 100), (options.BatchSize, options.Epochs));
        // The reference's LambdaLR: lr0 at step 0, half way at the middle, 1e-6 at the end.
        Assert.Equal(0.1, CosineLearningRate.At(0, 1000, 0.1, 1e-6), 12);
        Assert.Equal(1e-6 + (0.1 - 1e-6) * 0.5, CosineLearningRate.At(500, 1000, 0.1, 1e-6), 12);
        Assert.Equal(1e-6, CosineLearningRate.At(1000, 1000, 0.1, 1e-6), 12);
    }

    [Fact]
    public void ALabelThatIsNotAKeyIsRejected()
    {
        var data = TrainingTestData.View(_context, TrainingTestData.Synthetic(24, 1, 8, 8, 3, 2), 1, 8, 8); // text label
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ImageClassificationTrainer(_context, Tiny()).Fit(data));
        Assert.Contains("Label column 'Label' must be a key type", error.Message);
        Assert.Contains("MapValueToKey", error.Message);

        var options = Tiny();
        options.LabelColumnName = "Class";
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => new ImageClassificationTrainer(_context, options).Fit(TinyData()));
        Assert.Contains("Label column 'Class' not found", missing.Message);
    }

    [Fact]
    public void WrongFeatureShapesAndTypesAreRejected()
    {
        // A one-dimensional vector needs the image shape in the options ...
        var flat = TrainingTestData.WithKeyLabel(_context, TrainingTestData.View(_context, TrainingTestData.Synthetic(24, 1, 8, 8, 3, 2), 64));
        var noShape = Assert.Throws<ArgumentOutOfRangeException>(() => new ImageClassificationTrainer(_context, Tiny()).Fit(flat));
        Assert.Contains("Feature column 'Features'", noShape.Message);
        Assert.Contains("ImageChannels, ImageHeight and ImageWidth", noShape.Message);

        // ... which must multiply to the vector's size ...
        var wrong = Tiny();
        (wrong.ImageChannels, wrong.ImageHeight, wrong.ImageWidth) = (3, 8, 8);
        var sizeError = Assert.Throws<ArgumentOutOfRangeException>(() => new ImageClassificationTrainer(_context, wrong).Fit(flat));
        Assert.Contains("64 values per row", sizeError.Message);
        Assert.Contains("3x8x8 = 192", sizeError.Message);

        // ... and with it a flat vector trains.
        var right = Tiny();
        (right.ImageChannels, right.ImageHeight, right.ImageWidth) = (1, 8, 8);
        using (var model = new ImageClassificationTrainer(_context, right).Fit(flat))
            Assert.Equal((1, 8, 8), (model.ModelSpec.Channels, model.ModelSpec.Height, model.ModelSpec.Width));

        // Features of another item type.
        var doubles = _context.Data.LoadFromEnumerable(Enumerable.Range(0, 8).Select(i => new DoubleRow { Features = new double[64], Label = i % 2 }));
        var keyed = _context.Transforms.Conversion.MapValueToKey("Label").Fit(doubles).Transform(doubles);
        var typeError = Assert.Throws<ArgumentOutOfRangeException>(() => new ImageClassificationTrainer(_context, right).Fit(keyed));
        Assert.Contains("Schema mismatch for feature column 'Features'", typeError.Message);
        Assert.Contains("vector of Single", typeError.Message);
    }

    [Fact]
    public void ScoringDataWithAnotherImageSizeIsRejected()
    {
        using var model = new ImageClassificationTrainer(_context, Tiny()).Fit(TinyData());
        var other = TrainingTestData.View(_context, TrainingTestData.Synthetic(4, 1, 10, 10, 3, 2), 1, 10, 10);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(other));
        Assert.Contains("expected a vector of 64 Single values, got 100", error.Message);
    }

    [Fact]
    public void ANonFiniteLossStopsTrainingNamingEpochAndStep()
    {
        var rows = TrainingTestData.Synthetic(24, 1, 8, 8, 3, 2);
        foreach (var row in rows) row.Features[5] = float.NaN;
        var data = TrainingTestData.WithKeyLabel(_context, TrainingTestData.View(_context, rows, 1, 8, 8));
        var error = Assert.Throws<InvalidOperationException>(() => new ImageClassificationTrainer(_context, Tiny()).Fit(data));
        Assert.Contains("Training diverged", error.Message);
        Assert.Contains("epoch 1 (of 1), step 1 (of 3)", error.Message);
    }

    [Fact]
    public void ARowWithoutALabelStopsTrainingNamingTheRow()
    {
        var rows = TrainingTestData.Synthetic(24, 1, 8, 8, 3, 2);
        var known = TrainingTestData.View(_context, TrainingTestData.Synthetic(24, 1, 8, 8, 3, 2), 1, 8, 8);
        rows[17].Label = "unseen";
        var data = TrainingTestData.WithKeyLabel(_context, TrainingTestData.View(_context, rows, 1, 8, 8), fitOn: known);
        // The error comes from the background reader and reaches Fit's caller unchanged.
        var error = Assert.Throws<InvalidDataException>(() => new ImageClassificationTrainer(_context, Tiny()).Fit(data));
        Assert.Contains("Row 17: label column 'Label' has a missing", error.Message);
    }

    [Fact]
    public void TheCatalogTrainerLogsToTheContext()
    {
        var context = new MLContext(seed: 1);
        var messages = new List<string>();
        context.Log += (_, e) => { if (e.Source == nameof(ImageClassificationTrainer)) lock (messages) messages.Add(e.Message); };
        var data = TrainingTestData.WithKeyLabel(context, TrainingTestData.View(context, TrainingTestData.Synthetic(24, 1, 8, 8, 3, 2), 1, 8, 8));
        using var model = context.MulticlassClassification.Trainers.ImageClassifier(Tiny()).Fit(data);
        lock (messages) Assert.Contains(messages, m => m.Contains("epoch 1/1, loss ") && m.Contains("images/s") && m.Contains("ETA"));
    }

    [Fact]
    public void ALongRunWarnsOnceOnTheLogNamingCheaperOptions()
    {
        // A schedule of 100,000 epochs of 2,400 one-image steps (240 million steps) would finish within the hour only at
        // 15 microseconds a step, far below what one TorchSharp training step costs; the run is cancelled as soon as the
        // warning (given once, after the first steps) arrives.
        var context = new MLContext(seed: 1);
        using var cancel = new CancellationTokenSource();
        var messages = new List<(Microsoft.ML.Runtime.ChannelMessageKind Kind, string Text)>();
        context.Log += (_, e) =>
        {
            if (e.Source != nameof(ImageClassificationTrainer)) return;
            lock (messages) messages.Add((e.Kind, e.Message));
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning) cancel.Cancel();
        };
        var options = Tiny();
        options.Architecture = ModelArchitecture.WideResNet;
        options.Depth = 10;
        options.Widen = 1;
        options.Epochs = 100_000;
        options.BatchSize = 1;
        options.CancellationToken = cancel.Token;
        var data = TrainingTestData.WithKeyLabel(context, TrainingTestData.View(context, TrainingTestData.Synthetic(2400, 1, 8, 8, 3, 2), 1, 8, 8));
        Assert.ThrowsAny<OperationCanceledException>(() => new ImageClassificationTrainer(context, options).Fit(data));
        lock (messages)
        {
            var warning = Assert.Single(messages, m => m.Text.Contains("over an hour", StringComparison.Ordinal));
            Assert.Equal(Microsoft.ML.Runtime.ChannelMessageKind.Warning, warning.Kind);
            Assert.Contains("Architecture = SmallCnn", warning.Text);
            Assert.Contains("fewer Epochs (now 100000)", warning.Text);
        }
    }

    [Fact]
    public void CudaWithoutAGpuFailsClearly()
    {
        if (TorchSharp.torch.cuda.is_available()) return; // the check below is about machines without CUDA
        var options = Tiny();
        options.Device = TrainingDevice.Cuda;
        var error = Assert.Throws<NotSupportedException>(() => new ImageClassificationTrainer(_context, options).Fit(TinyData()));
        Assert.Contains("torch.cuda.is_available() is false", error.Message);
        Assert.Contains("TorchBackend=cuda", error.Message);
    }

    [Fact]
    public void TheEstimatorDescribesItsOutputColumns()
    {
        var definition = SchemaDefinition.Create(typeof(ImageRow));
        definition[nameof(ImageRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, 8, 8);
        var input = SchemaShapes.Of<ImageRow>(_context, definition);
        var keyed = _context.Transforms.Conversion.MapValueToKey("Label").GetOutputSchema(input);
        var shape = new ImageClassificationTrainer(_context, Tiny()).GetOutputSchema(keyed);
        var score = shape.Single(c => c.Name == "Score");
        Assert.Equal(NumberDataViewType.Single, score.ItemType);
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, score.Kind);
        var slotNames = Assert.Single(score.Annotations, a => a.Name == "SlotNames");
        Assert.Equal(TextDataViewType.Instance, slotNames.ItemType);
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, slotNames.Kind);
        var predicted = shape.Single(c => c.Name == "PredictedLabel");
        Assert.True(predicted.IsKey);
        Assert.Equal(NumberDataViewType.UInt32, predicted.ItemType);
        Assert.Equal(SchemaShape.Column.VectorKind.Scalar, predicted.Kind);
        // The label's KeyValues travel to PredictedLabel, so MapKeyToValue("PredictedLabel") can follow the trainer.
        var keyValues = Assert.Single(predicted.Annotations, a => a.Name == "KeyValues");
        Assert.Equal(TextDataViewType.Instance, keyValues.ItemType);
        var mapped = _context.Transforms.Conversion.MapKeyToValue("PredictedLabel").GetOutputSchema(shape);
        Assert.Equal(TextDataViewType.Instance, mapped.Single(c => c.Name == "PredictedLabel").ItemType);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ImageClassificationTrainer(_context, Tiny()).GetOutputSchema(input));
        Assert.Contains("must be a key type", error.Message);
        Assert.Contains(shape, c => c.Name == "Features");
    }

    [Fact]
    public void ShufflesArePermutationsThatChangeWithTheEpoch()
    {
        var first = new int[50];
        var second = new int[50];
        var again = new int[50];
        ShuffleOrder.Permute(first, seed: 1, epoch: 0, window: 0);
        ShuffleOrder.Permute(second, seed: 1, epoch: 1, window: 0);
        ShuffleOrder.Permute(again, seed: 1, epoch: 0, window: 0);
        Assert.Equal(Enumerable.Range(0, 50), first.Order());
        Assert.Equal(Enumerable.Range(0, 50), second.Order());
        Assert.NotEqual(first, second);
        Assert.NotEqual(Enumerable.Range(0, 50), first);
        Assert.Equal(first, again);
    }

    private sealed class DoubleRow
    {
        [VectorType(64)]
        public double[] Features { get; set; } = [];
        public int Label { get; set; }
    }
}
