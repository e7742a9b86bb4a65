namespace PixMix.Cli.Benchmarks;

/// <summary>Measures training throughput on the shipped Fashion-MNIST (as 32x32 RGB) through the real pipeline (PixMix transform + trainer).</summary>
public static class TrainingBenchmark
{
    /// <summary>
    /// Trains <paramref name="epochs"/> epochs over <paramref name="images"/> images and reports the throughput of the epochs
    /// after the first (the first includes start-up: JIT, cache warm-up, first batch).
    /// </summary>
    public static TrainingBenchmarkResult Run(ModelArchitecture architecture, int depth, int widen, TrainingDevice device, bool usePixMix,
        int batchSize, int images, int epochs, int torchThreads = 0, string? dataFolder = null,
        TrainingPrecision precision = TrainingPrecision.Fp32, bool channelsLast = false, int dataThreads = 0, bool cudnnBenchmark = true)
    {
        if (epochs < 2) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "epochs must be >= 2 (the first is warm-up).");
        var ml = new MLContext(seed: 1);
        var source = new ImageSourceSlice(FashionMnist.OpenAs32x32Rgb(train: true, dataFolder), 0, images);
        var view = new ImageSourceDataView(source, classCount: 10);
        var recipe = usePixMix ? PixMixRecipe.Cifar : PixMixRecipe.Cifar.WithoutPixMix();
        var options = new ImageClassifierOptions
        {
            Architecture = architecture, Depth = depth, Widen = widen, Epochs = epochs, BatchSize = batchSize, Device = device,
            TorchThreads = torchThreads, ProgressInterval = 1_000_000_000,
            Precision = precision, ChannelsLast = channelsLast, DataThreads = dataThreads, CudnnBenchmark = cudnnBenchmark,
        };
        var pipeline = ml.Transforms.PixMix(new PixMixOptions { InputColumnName = "Image", OutputColumnName = "Features", Recipe = recipe, MixingSet = MixingSet.Fractals(256, 0) })
            .Append(ml.MulticlassClassification.Trainers.ImageClassifier(options));
        var model = pipeline.Fit(view);
        var classifier = model.LastTransformer;
        var summary = classifier.TrainingSummary ?? throw new InvalidOperationException("the trainer returned no training summary.");
        var steady = summary.History.Skip(1).ToList();
        double secs = steady.Sum(e => e.Seconds), wait = steady.Sum(e => e.DataWaitSeconds), deviceWait = steady.Sum(e => e.DeviceWaitSeconds);
        long n = steady.Sum(e => e.Images);
        var result = new TrainingBenchmarkResult("train", architecture.ToString(), depth, widen, summary.Device, usePixMix, batchSize, images, epochs,
            torchThreads == 0 ? TorchSharp.torch.get_num_threads() : torchThreads,
            Math.Round(n / Math.Max(secs, 1e-9), 1), Math.Round(wait / Math.Max(secs, 1e-9), 4), Math.Round(summary.History[0].Seconds, 2), Math.Round(secs, 2),
            $"Fashion-MNIST train images 0..{images - 1} as 32x32 RGB")
        {
            DeviceName = summary.DeviceName ?? summary.Device, Precision = summary.Precision, ChannelsLast = summary.ChannelsLast,
            DataThreads = summary.DataThreads, PeakGpuMemoryBytes = summary.PeakGpuMemoryBytes,
            DeviceWaitFraction = Math.Round(deviceWait / Math.Max(secs, 1e-9), 4), CudnnBenchmark = summary.CudnnBenchmark,
        };
        classifier.Dispose();
        return result;
    }
}
