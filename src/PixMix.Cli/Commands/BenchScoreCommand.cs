using System.CommandLine;
using System.Globalization;
using PixMix.Cli.Benchmarks;
using PixMix.MLNet.Models;

namespace PixMix.Cli.Commands;

/// <summary>pixmix bench score: CPU scoring throughput of TorchSharp and ONNX Runtime on the same networks and images, and their agreement.</summary>
internal static class BenchScoreCommand
{
    public static Command Create(TextWriter stdout)
    {
        var arch = new Option<string>("--arch")
        {
            Description = "Networks: all (SmallCnn and WideResNet-<depth>-<widen>), small-cnn or wrn (default all).",
            DefaultValueFactory = _ => "all",
        };
        arch.AcceptOnlyFromAmong("all", "small-cnn", "wrn");
        var depth = CliOptions.Int("--depth", "WideResNet depth (6n+4)", 16, 10, 100);
        var widen = CliOptions.Int("--widen", "WideResNet widen factor", 4, 1, 20);
        var batch = CliOptions.Int("--batch-size", "Images per scored batch (the first Fashion-MNIST test images, 32x32 RGB)", 256, 1, 4096);
        var warmup = CliOptions.Int("--warmup", "Untimed batches per engine before the timed ones", 2, 0, 100);
        var repetitions = CliOptions.Int("--repetitions", "Timed batches per engine (the engines alternate; the median is reported)", 10, 1, 1000);
        var threads = CliOptions.Int("--threads", "Intra-op threads of both engines (0 = TorchSharp's default)", 0, 0, 256);
        var seed = CliOptions.Int("--seed", "Seed of the networks' weights and BatchNorm statistics", 1, 0, int.MaxValue);
        var data = BenchCommand.DataOption();
        var json = CliOptions.Json();
        var cmd = new Command("score", "CPU scoring images per second of the same networks (deterministic weights, randomized BatchNorm statistics) through TorchSharp, as evaluation runs them, and through ONNX Runtime on their ONNX export, on the same batch of Fashion-MNIST test images; and whether the two agree (arg-max, largest logit difference).")
        {
            arch, depth, widen, batch, warmup, repetitions, threads, seed, data, json,
        };
        cmd.SetAction(parse =>
        {
            string? dataFolder = parse.GetValue(data);
            if (dataFolder is not null) CliOptions.ExistingFolder("--data", dataFolder);
            string which = parse.GetValue(arch)!;
            (ModelArchitecture, int, int) Wrn() => (ModelArchitecture.WideResNet, CliOptions.CheckDepth(ModelArchitecture.WideResNet, parse.GetValue(depth)), parse.GetValue(widen));
            IReadOnlyList<(ModelArchitecture, int, int)> models = which switch
            {
                "small-cnn" => [(ModelArchitecture.SmallCnn, 0, 0)],
                "wrn" => [Wrn()],
                _ => [(ModelArchitecture.SmallCnn, 0, 0), Wrn()],
            };
            var r = ScoringBenchmark.Run(models, parse.GetValue(batch), parse.GetValue(warmup), parse.GetValue(repetitions), parse.GetValue(threads),
                parse.GetValue(seed), dataFolder);
            var text = string.Join(Environment.NewLine, r.Models.Select(m => string.Create(CultureInfo.InvariantCulture,
                $"{m.Model}, batch {r.BatchSize}, {r.ImageSize}x{r.ImageSize}, {r.Threads} thread(s): TorchSharp {m.TorchSharp.ImagesPerSecond:N1} images/s, "
                + $"ONNX Runtime {m.OnnxRuntime.ImagesPerSecond:N1} images/s ({m.OnnxRuntimeSpeedup:0.00}x); "
                + $"same prediction on {m.AgreeingPredictions} of {m.Images}, largest logit difference {m.MaxAbsLogitDifference:G3}")));
            CliOutput.Result(stdout, parse.GetValue(json), r, text);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
