using TorchSharp;
using static TorchSharp.torch;

namespace PixMix.Cli.SelfTest;

/// <summary>
/// What <c>pixmix selftest cuda</c> checks on a GPU machine that has no .NET SDK (scripts/gpu-check.sh): tiny trainings
/// and predictions on the device, each measured by a method of its own (which the test project's CUDA tests assert on)
/// and judged here against the self-test's criteria. A failed check throws <see cref="CudaCheckFailedException"/>; a
/// passed one returns a one-line description of what it measured.
/// </summary>
internal static class CudaChecks
{
    /// <summary>Null when CUDA is usable; else why the checks are skipped.</summary>
    internal static string? SkipReason() =>
        cuda.is_available() ? null : "torch.cuda.is_available() is false: no CUDA device, or a LibTorch without CUDA (TorchBackend=cpu, or LD_LIBRARY_PATH lacking PyTorch's CUDA torch/lib)";

    /// <summary>The checks, by name.</summary>
    internal static IReadOnlyList<(string Name, Func<string> Run)> All() =>
    [
        ("training_on_cuda_reduces_the_loss_fp32", () => TrainingReducesLoss(TrainingPrecision.Fp32, channelsLast: false, CUDA)),
        ("training_on_cuda_reduces_the_loss_bf16_channels_last", () => TrainingReducesLoss(TrainingPrecision.Bf16, channelsLast: true, CUDA)),
        ("training_on_cuda_reduces_the_loss_fp16", () => TrainingReducesLoss(TrainingPrecision.Fp16, channelsLast: false, CUDA)),
        ("cuda_predictions_match_cpu_for_the_same_weights", () => PredictionsMatch(CUDA)),
        ("trained_on_cuda_saves_and_predicts_on_cpu", () => SavesAndPredictsOnCpu(CUDA)),
        ("device_auto_picks_cuda", AutoPicksCuda),
    ];

    /// <summary>
    /// A dry run of the checks' code on the CPU (the "CUDA" side is the CPU too; fp16 and Auto are left out), so that a
    /// mistake in a check shows up before GPU time is spent on it. It proves nothing about CUDA.
    /// </summary>
    internal static IReadOnlyList<(string Name, Func<string> Run)> CpuDryRun() =>
    [
        ("dry_run_training_reduces_the_loss_fp32", () => TrainingReducesLoss(TrainingPrecision.Fp32, channelsLast: false, CPU)),
        ("dry_run_training_reduces_the_loss_bf16_channels_last", () => TrainingReducesLoss(TrainingPrecision.Bf16, channelsLast: true, CPU)),
        ("dry_run_predictions_match_for_the_same_weights", () => PredictionsMatch(CPU)),
        ("dry_run_saves_and_predicts_on_cpu", () => SavesAndPredictsOnCpu(CPU)),
    ];

    /// <summary>What a tiny training on a device gave.</summary>
    /// <param name="Device">The device the summary names ("cuda", "cpu").</param>
    /// <param name="FirstLoss">Mean loss of the first epoch.</param>
    /// <param name="LastLoss">Mean loss of the last epoch.</param>
    /// <param name="Epochs">Epochs trained.</param>
    /// <param name="WeightsOnDeviceInFloat32">Whether every trained parameter is float32 on the device trained on.</param>
    /// <param name="Summary">The run's summary.</param>
    internal sealed record TrainingOutcome(string Device, double FirstLoss, double LastLoss, int Epochs, bool WeightsOnDeviceInFloat32, TrainingSummary Summary);

    /// <summary>Trains a small CNN for 4 epochs on 512 synthetic images on <paramref name="target"/>.</summary>
    internal static TrainingOutcome Train(TrainingPrecision precision, bool channelsLast, Device target)
    {
        var context = new MLContext(seed: 1);
        var data = Synthetic(context, 512, seed: 3);
        var options = TinyOptions(Option(target), epochs: 4);
        options.Precision = precision; options.ChannelsLast = channelsLast;
        using var model = new ImageClassificationTrainer(context, options).Fit(data);
        var summary = model.TrainingSummary!;
        bool onDevice = model.Network.parameters().All(p => p.device_type == target.type && p.dtype == ScalarType.Float32);
        return new TrainingOutcome(summary.Device, summary.History[0].Loss, summary.History[^1].Loss, summary.History.Count, onDevice, summary);
    }

    /// <summary>The largest difference between the logits of the same WideResNet-10-2 weights on the CPU and on <paramref name="target"/> (TF32 off), over 64 images.</summary>
    internal static double LogitDifference(Device target)
    {
        var spec = new ImageModelSpec(ModelArchitecture.WideResNet, 10, 2, 0.3, 5, 3, 16, 16);
        using var generatorA = new Generator(7, CPU);
        using var generatorB = new Generator(7, CPU);
        var onCpu = spec.CreateModule(generatorA);
        var onTarget = spec.CreateModule(generatorB);
        onTarget.to(target);
        using var runnerCpu = new NetworkRunner(onCpu, spec, CPU);
        using var runnerTarget = new NetworkRunner(onTarget, spec, target);
        var images = Images(64, spec.ImageSize, seed: 9);
        var expected = new float[64 * spec.Classes];
        var actual = new float[64 * spec.Classes];
        return WithoutTf32(() =>
        {
            runnerCpu.Logits(images, 64, expected);
            runnerTarget.Logits(images, 64, actual);
            return MaxDifference(expected, actual);
        });
    }

    /// <summary>What a model trained on a device, saved and loaded onto the CPU gave.</summary>
    /// <param name="TrainedOn">The device the trained model's summary names.</param>
    /// <param name="LoadedOnCpu">Whether every loaded parameter is on the CPU.</param>
    /// <param name="LogitDifference">The largest difference between the trained and the loaded model's logits of 32 images (TF32 off).</param>
    internal sealed record SaveLoadOutcome(string TrainedOn, bool LoadedOnCpu, double LogitDifference);

    /// <summary>Trains a small CNN on <paramref name="target"/> for 2 epochs, saves it and loads it with Device = Cpu.</summary>
    internal static SaveLoadOutcome SaveAndLoadOnCpu(Device target)
    {
        var context = new MLContext(seed: 1);
        var data = Synthetic(context, 256, seed: 4);
        var folder = Path.Combine(Path.GetTempPath(), "pixmix-cuda-check-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var trained = new ImageClassificationTrainer(context, TinyOptions(Option(target), epochs: 2)).Fit(data);
            var path = Path.Combine(folder, "model.zip");
            trained.Save(path);
            using var loaded = ImageClassificationTransformer.Load(context, path, TrainingDevice.Cpu);
            bool onCpu = loaded.Network.parameters().All(p => p.device_type == DeviceType.CPU);
            var images = Images(32, 3 * 16 * 16, seed: 10);
            double difference = WithoutTf32(() => MaxDifference(trained.PredictLogits(images, 32), loaded.PredictLogits(images, 32)));
            return new SaveLoadOutcome(trained.TrainingSummary!.Device, onCpu, difference);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The device Device = Auto resolves to, and the summary of one epoch trained with it.</summary>
    internal static (DeviceType Resolved, TrainingSummary Summary) Auto()
    {
        var resolved = DeviceSelection.Resolve(TrainingDevice.Auto).type;
        var context = new MLContext(seed: 1);
        using var model = new ImageClassificationTrainer(context, TinyOptions(TrainingDevice.Auto, epochs: 1)).Fit(Synthetic(context, 64, seed: 5));
        return (resolved, model.TrainingSummary!);
    }

    private static string TrainingReducesLoss(TrainingPrecision precision, bool channelsLast, Device target)
    {
        string name = Name(target);
        var outcome = Train(precision, channelsLast, target);
        var summary = outcome.Summary;
        Require(outcome.Device == name, $"the run trained on '{outcome.Device}', not {name}");
        Require(double.IsFinite(outcome.LastLoss) && outcome.LastLoss < outcome.FirstLoss * 0.8,
            $"the mean loss went from {outcome.FirstLoss:G4} (epoch 1) to {outcome.LastLoss:G4} (epoch {outcome.Epochs}), not down by 20%");
        Require(outcome.WeightsOnDeviceInFloat32, $"the trained weights are not float32 on {name}");
        return $"{precision}{(channelsLast ? ", channels-last" : "")}: mean loss {outcome.FirstLoss:G4} -> {outcome.LastLoss:G4} over {outcome.Epochs} epochs, {summary.Steps} steps, skipped {summary.SkippedSteps}, peak GPU memory {(summary.PeakGpuMemoryBytes is long peak ? $"{peak} bytes" : "n/a")} on {summary.DeviceName}";
    }

    private static string PredictionsMatch(Device target)
    {
        double max = LogitDifference(target);
        Require(max <= 1e-3, $"CUDA and CPU logits of the same weights differ by up to {max:G3} (> 1e-3)");
        return $"WideResNet-10-2, 64 images: largest logit difference {max:G3} (TF32 off)";
    }

    private static string SavesAndPredictsOnCpu(Device target)
    {
        string name = Name(target);
        var outcome = SaveAndLoadOnCpu(target);
        Require(outcome.TrainedOn == name, $"the run did not train on {name}");
        Require(outcome.LoadedOnCpu, "the loaded model is not on the CPU");
        Require(outcome.LogitDifference <= 1e-3, $"the CPU-loaded model's logits differ from the CUDA model's by up to {outcome.LogitDifference:G3} (> 1e-3)");
        return $"saved from {name}, loaded with Device = Cpu: largest logit difference {outcome.LogitDifference:G3}";
    }

    private static string AutoPicksCuda()
    {
        var (resolved, summary) = Auto();
        Require(resolved == DeviceType.CUDA, "Device = Auto resolved to the CPU although CUDA is available");
        Require(summary.Device == "cuda", $"Device = Auto trained on '{summary.Device}'");
        return $"Device = Auto trained on cuda ({summary.DeviceName})";
    }

    private static TrainingDevice Option(Device device) => device.type == DeviceType.CUDA ? TrainingDevice.Cuda : TrainingDevice.Cpu;

    private static string Name(Device device) => device.type == DeviceType.CUDA ? "cuda" : "cpu";

    private static ImageClassifierOptions TinyOptions(TrainingDevice device, int epochs) => new()
    {
        Architecture = ModelArchitecture.SmallCnn, Epochs = epochs, BatchSize = 32, LearningRate = 0.05, Dropout = 0.1,
        Device = device, Seed = 2, ProgressInterval = 1_000_000,
    };

    private static T WithoutTf32<T>(Func<T> body)
    {
        // cuDNN convolutions use TF32 by default (as in PyTorch), which rounds to 10 mantissa bits: compare in full float32.
        bool cudnn = backends.cudnn.allow_tf32, matmul = backends.cuda.matmul.allow_tf32;
        backends.cudnn.allow_tf32 = false; backends.cuda.matmul.allow_tf32 = false;
        try { return body(); }
        finally { backends.cudnn.allow_tf32 = cudnn; backends.cuda.matmul.allow_tf32 = matmul; }
    }

    private static double MaxDifference(float[] a, float[] b)
    {
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new CudaCheckFailedException(message);
    }

    private static float[] Images(int count, int size, int seed)
    {
        var random = new Random(seed);
        var images = new float[count * size];
        for (int i = 0; i < images.Length; i++) images[i] = (float)(random.NextDouble() * 2 - 1);
        return images;
    }

    /// <summary>3 x 16 x 16 images of 4 classes: a bright square whose position is the class, on noise.</summary>
    private static IDataView Synthetic(MLContext context, int count, int seed)
    {
        const int c = 3, h = 16, w = 16, classes = 4;
        var random = new Random(seed);
        var rows = new List<SyntheticRow>(count);
        for (int i = 0; i < count; i++)
        {
            int label = i % classes;
            var features = new float[c * h * w];
            for (int p = 0; p < features.Length; p++) features[p] = (float)(random.NextDouble() - 0.5);
            int y0 = label * 3, x0 = label * 3;
            for (int ch = 0; ch < c; ch++)
                for (int y = y0; y < y0 + 4; y++)
                    for (int x = x0; x < x0 + 4; x++)
                        features[(ch * h + y) * w + x] += 2f;
            rows.Add(new SyntheticRow { Features = features, Label = $"class{label}" });
        }
        var definition = SchemaDefinition.Create(typeof(SyntheticRow));
        definition[nameof(SyntheticRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, c, h, w);
        var view = context.Data.LoadFromEnumerable(rows, definition);
        return context.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
    }

    private sealed class SyntheticRow
    {
        public float[] Features { get; set; } = [];
        public string Label { get; set; } = "";
    }
}
