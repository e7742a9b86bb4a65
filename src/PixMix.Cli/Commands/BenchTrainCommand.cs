using System.CommandLine;
using PixMix.MLNet.Models;
using PixMix.MLNet.Training;

namespace PixMix.Cli.Commands;

/// <summary>pixmix bench train: training throughput (images/s) and data-wait share through the real pipeline.</summary>
internal static class BenchTrainCommand
{
    public static Command Create(TextWriter stdout)
    {
        var arch = new Option<string>("--arch") { Description = "Network: small-cnn, wrn, resnet18, resnet50 (default small-cnn).", DefaultValueFactory = _ => "small-cnn" };
        var depth = CliOptions.Int("--depth", "WideResNet depth (6n+4)", 16, 10, 100);
        var widen = CliOptions.Int("--widen", "WideResNet widen factor", 4, 1, 20);
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto (default cpu).", DefaultValueFactory = _ => "cpu" };
        var batch = CliOptions.Int("--batch-size", "Batch size", 128, 1, 4096);
        var images = CliOptions.Int("--images", "Training images per epoch", 2048, 128, 60000);
        var epochs = CliOptions.Int("--epochs", "Epochs (the first is warm-up and not measured)", 2, 2, 100);
        var threads = CliOptions.Int("--torch-threads", "Torch intra-op threads (0 = TorchSharp's default)", 0, 0, 256);
        var noPixMix = new Option<bool>("--no-pixmix") { Description = "Train with the standard augmentation only." };
        var json = CliOptions.Json();
        var cmd = new Command("train", "Training images per second and the share of each step spent waiting for data, on the shipped Fashion-MNIST.")
        {
            arch, depth, widen, device, batch, images, epochs, threads, noPixMix, json,
        };
        cmd.SetAction(parse =>
        {
            var r = TrainingBenchmark.Run(ParseArchitecture(parse.GetValue(arch)!), parse.GetValue(depth), parse.GetValue(widen), ParseDevice(parse.GetValue(device)!),
                !parse.GetValue(noPixMix), parse.GetValue(batch), parse.GetValue(images), parse.GetValue(epochs), parse.GetValue(threads));
            CliOutput.Result(stdout, parse.GetValue(json), r,
                $"{r.Architecture}{(r.Architecture == "WideResNet" ? $"-{r.Depth}-{r.Widen}" : "")} on {r.Device}, batch {r.BatchSize}, PixMix {(r.PixMix ? "on" : "off")}: "
                + $"{r.ImagesPerSecond:N1} images/s, {r.DataWaitFraction:P1} of the time waiting for data");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    public static ModelArchitecture ParseArchitecture(string value) => value.ToLowerInvariant() switch
    {
        "small-cnn" or "smallcnn" => ModelArchitecture.SmallCnn,
        "wrn" or "wideresnet" => ModelArchitecture.WideResNet,
        "resnet18" => ModelArchitecture.ResNet18,
        "resnet50" => ModelArchitecture.ResNet50,
        _ => throw new UsageException($"--arch '{value}' is not one of small-cnn, wrn, resnet18, resnet50."),
    };

    public static TrainingDevice ParseDevice(string value) => value.ToLowerInvariant() switch
    {
        "cpu" => TrainingDevice.Cpu,
        "cuda" or "gpu" => TrainingDevice.Cuda,
        "auto" => TrainingDevice.Auto,
        _ => throw new UsageException($"--device '{value}' is not one of cpu, cuda, auto."),
    };
}
