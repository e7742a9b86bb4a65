using PixMix.Cli.Benchmarks;

namespace PixMix.Cli.Commands;

/// <summary>pixmix bench train: training throughput (images/s) and data-wait share through the real pipeline.</summary>
internal static class BenchTrainCommand
{
    public static Command Create(TextWriter stdout)
    {
        var arch = CliOptions.Architecture("small-cnn", "small-cnn", "wrn", "resnet18", "resnet50");
        var depth = CliOptions.Int("--depth", "WideResNet depth (6n+4)", 16, 10, 100);
        var widen = CliOptions.Int("--widen", "WideResNet widen factor", 4, 1, 20);
        var device = CliOptions.Device("cpu");
        var batch = CliOptions.Int("--batch-size", "Batch size", 128, 1, 4096);
        var images = CliOptions.Int("--images", "Training images per epoch", 2048, 128, 60000);
        var epochs = CliOptions.Int("--epochs", "Epochs (the first is warm-up and not measured)", 2, 2, 100);
        var threads = CliOptions.Int("--torch-threads", "Torch intra-op threads (0 = TorchSharp's default)", 0, 0, 256);
        var noPixMix = new Option<bool>("--no-pixmix") { Description = "Train with the standard augmentation only." };
        var precision = CliOptions.Precision();
        var channelsLast = CliOptions.ChannelsLast();
        var noBenchmark = CliOptions.NoCudnnBenchmark();
        var dataThreads = CliOptions.Int("--data-threads", "Threads that read and augment rows (0 = by device: cores - 1 on CUDA, at most 4 on the CPU)", 0, 0, 64);
        var data = BenchCommand.DataOption();
        var json = CliOptions.Json();
        var cmd = new Command("train", "Training images per second and the share of each step spent waiting for data, on Fashion-MNIST (the shipped copy or --data).")
        {
            arch, depth, widen, device, batch, images, epochs, threads, noPixMix, precision, channelsLast, noBenchmark, dataThreads, data, json,
        };
        cmd.SetAction(parse =>
        {
            string? dataFolder = parse.GetValue(data);
            if (dataFolder is not null) CliOptions.ExistingFolder("--data", dataFolder);
            var architecture = CliOptions.ParseArchitecture(parse.GetValue(arch)!);
            var r = TrainingBenchmark.Run(architecture, CliOptions.CheckDepth(architecture, parse.GetValue(depth)), parse.GetValue(widen), CliOptions.ParseDevice(parse.GetValue(device)!),
                !parse.GetValue(noPixMix), parse.GetValue(batch), parse.GetValue(images), parse.GetValue(epochs), parse.GetValue(threads), dataFolder: dataFolder,
                precision: CliOptions.ParsePrecision(parse.GetValue(precision)!), channelsLast: parse.GetValue(channelsLast), dataThreads: parse.GetValue(dataThreads),
                cudnnBenchmark: !parse.GetValue(noBenchmark));
            var m = Measurement.From(r);
            if (parse.GetValue(json)) stdout.WriteLine(m.ToJson());
            else
                stdout.WriteLine($"{m.Architecture} on {m.Device}, batch {m.BatchSize}, {m.Precision}{(m.ChannelsLast ? ", channels-last" : "")}, PixMix {(m.PixMix ? "on" : "off")}: "
                    + $"{m.ImagesPerS:N1} images/s, {m.DataWaitFraction:P1} of the time waiting for data"
                    + (m.PeakGpuMemoryBytes is long peak ? $", peak GPU memory {peak / 1048576.0:N0} MiB" : ""));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// One measurement, as one JSON line with the fields the PyTorch reference script (scripts/reference_train_bench.py)
    /// prints too, so the two can be put side by side.
    /// </summary>
    internal sealed record Measurement(string Implementation, string Device, string DeviceType, string Architecture, int BatchSize, string Precision,
        bool ChannelsLast, [property: System.Text.Json.Serialization.JsonPropertyName("pixmix")] bool PixMix, double ImagesPerS, double DataWaitFraction, long? PeakGpuMemoryBytes, int DataThreads, int Images,
        int MeasuredEpochs, double MeasuredSeconds, string Data, double DeviceWaitFraction, bool CudnnBenchmark)
    {
        internal static Measurement From(TrainingBenchmarkResult r) => new(
            $"PixMix.MLNet (TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3)})",
            r.DeviceName, r.Device,
            r.Architecture == "WideResNet" ? $"WideResNet-{r.Depth}-{r.Widen}" : r.Architecture,
            r.BatchSize, r.Precision.ToString().ToLowerInvariant(), r.ChannelsLast, r.PixMix, r.ImagesPerSecond, r.DataWaitFraction,
            r.PeakGpuMemoryBytes, r.DataThreads, r.Images, r.Epochs - 1, r.MeasuredSeconds, r.Data, r.DeviceWaitFraction, r.CudnnBenchmark);

        /// <summary>One line of JSON with snake_case field names.</summary>
        internal string ToJson() => JsonSerializer.Serialize(this, CliOutput.SnakeCaseJsonOptions);
    }
}
