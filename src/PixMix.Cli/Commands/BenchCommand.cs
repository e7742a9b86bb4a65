using PixMix.Cli.Benchmarks;

namespace PixMix.Cli.Commands;

/// <summary>pixmix bench: throughput measurements a script can read (--json).</summary>
internal static class BenchCommand
{
    public static Command Create(TextWriter stdout)
    {
        var bench = new Command("bench", "Measure throughput: 'augment' (the PixMix imaging core), 'pipeline' (the ML.NET transform), 'corrupt' (the corruptions), 'perturb' (the perturbation sequences), 'train' (training throughput and data wait), 'score' (CPU scoring through TorchSharp and ONNX Runtime).");
        bench.Subcommands.Add(CreateAugment(stdout));
        bench.Subcommands.Add(CreatePipeline(stdout));
        bench.Subcommands.Add(CreateCorrupt(stdout));
        bench.Subcommands.Add(CreatePerturb(stdout));
        bench.Subcommands.Add(BenchTrainCommand.Create(stdout));
        bench.Subcommands.Add(BenchScoreCommand.Create(stdout));
        return bench;
    }

    private static Command CreateAugment(TextWriter stdout)
    {
        var size = CliOptions.Int("--size", "Image width and height: 32 uses the CIFAR recipe, larger sizes the ImageNet one", 32, 8, 1024);
        var threads = CliOptions.Int("--threads", "Worker threads", 1, 1, 256);
        var seconds = CliOptions.Double("--seconds", "Measured duration in seconds (after a short warm-up)", 5, 0.1, 600);
        var k = CliOptions.Int("--k", "PixMix k", 4, 0, 16);
        var beta = CliOptions.Double("--beta", "PixMix beta", 3, 0.01, 100);
        var severity = CliOptions.Double("--severity", "PixMix severity", 3, 0.1, 10);
        var data = DataOption();
        var json = CliOptions.Json();
        var cmd = new Command("augment", "Images per second of the PixMix imaging core: train transform, PixMix (k rounds with fractal mixing pictures) and normalization, per image, on Fashion-MNIST test images.")
        {
            size, threads, seconds, k, beta, severity, data, json,
        };
        cmd.SetAction(parse =>
        {
            string? dataFolder = parse.GetValue(data);
            if (dataFolder is not null) CliOptions.ExistingFolder("--data", dataFolder);
            var r = AugmentBenchmark.Run(parse.GetValue(size), parse.GetValue(threads), TimeSpan.FromSeconds(parse.GetValue(seconds)),
                new PixMixParameters { K = parse.GetValue(k), Beta = parse.GetValue(beta), Severity = parse.GetValue(severity), AllOps = true },
                (s, n) => BenchInputs.Load(dataFolder, s, n));
            CliOutput.Result(stdout, parse.GetValue(json), r,
                $"PixMix augment {r.Size}x{r.Size}, {r.Threads} thread(s), k={r.K} beta={r.Beta} severity={r.Severity} allOps: {r.ImagesPerSecond:N0} images/s ({r.AllocatedBytesPerImage:F1} bytes allocated per image)");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>--data of the benchmarks that read Fashion-MNIST (as demo takes it).</summary>
    internal static Option<string?> DataOption()
        => new("--data") { Description = "The data folder holding fashion-mnist/ (or that folder itself); default: the shipped copy, found automatically." };

    private static Command CreatePipeline(TextWriter stdout)
    {
        var size = CliOptions.Int("--size", "Image width and height: up to 64 uses the CIFAR recipe, larger sizes the ImageNet one", 32, 8, 1024);
        var threads = CliOptions.Int("--threads", "Cursors (threads) reading the augmented pass, and threads of the raw processor", 1, 1, 256);
        var seconds = CliOptions.Double("--seconds", "Measured duration of each measurement in seconds (after a short warm-up)", 5, 0.1, 600);
        var json = CliOptions.Json();
        var cmd = new Command("pipeline", "Images per second of PixMix through the ML.NET pipeline (image-source view, PixMix transform, augmented pass read by a cursor set) and through the raw imaging processor on the same threads.")
        {
            size, threads, seconds, json,
        };
        cmd.SetAction(parse =>
        {
            int s = parse.GetValue(size), t = parse.GetValue(threads);
            var duration = TimeSpan.FromSeconds(parse.GetValue(seconds));
            double processor = PixMixThroughput.MeasureProcessor(s, t, duration);
            double pipeline = PixMixThroughput.MeasurePipeline(s, t, duration);
            var recipe = PixMixThroughput.RecipeFor(s);
            var result = new
            {
                benchmark = "pipeline", size = s, threads = t, seconds = duration.TotalSeconds, recipe = recipe.TrainTransform.ToString(),
                processor = new { imagesPerSecond = Math.Round(processor, 1) },
                pipeline = new { imagesPerSecond = Math.Round(pipeline, 1) },
                pipelineOverhead = processor > 0 ? Math.Round(1 - pipeline / processor, 4) : 0,
                imagesPerSecond = Math.Round(pipeline, 1),
            };
            CliOutput.Result(stdout, parse.GetValue(json), result,
                $"PixMix {s}x{s}, {t} thread(s): raw processor {processor:N0} images/s, ML.NET pipeline {pipeline:N0} images/s");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command CreateCorrupt(TextWriter stdout)
    {
        var size = CliOptions.Int("--size", "Image width and height", 32, 8, 1024);
        var seconds = CliOptions.Double("--seconds", "Measured duration per corruption in seconds", 1, 0.05, 600);
        var corruptions = new Option<string>("--corruptions") { Description = "Corruptions to measure: all, benchmark, extra or names (default all).", DefaultValueFactory = _ => "all" };
        var parameters = CliOptions.CorruptionParameters();
        var json = CliOptions.Json();
        var cmd = new Command("corrupt", "Images per second of each corruption (one thread, severities 1..5 in turn) on synthetic RGB images; --json prints an array.")
        {
            size, seconds, corruptions, parameters, json,
        };
        cmd.SetAction(parse =>
        {
            var kinds = CliOptions.ParseCorruptions(parse.GetValue(corruptions)!);
            var set = CliOptions.ParseCorruptionParameters(parse.GetValue(parameters)!);
            int s = parse.GetValue(size);
            var duration = TimeSpan.FromSeconds(parse.GetValue(seconds));
            bool asJson = parse.GetValue(json);
            var results = new List<CorruptionThroughputResult>();
            Progress.Run("Measuring corruptions", kinds.Count, asJson, tick =>
            {
                foreach (var kind in kinds)
                {
                    results.Add(CorruptionThroughput.Measure(kind, s, duration, set));
                    tick?.Invoke(results.Count);
                }
            });
            if (asJson) stdout.WriteLine(System.Text.Json.JsonSerializer.Serialize(results, CliOutput.JsonOptions));
            else foreach (var r in results) stdout.WriteLine($"{r.Corruption,-18} {r.Size}x{r.Size} ({r.ParameterSet}): {r.ImagesPerSecond,12:N1} images/s");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command CreatePerturb(TextWriter stdout)
    {
        var size = CliOptions.Int("--size", "Image width and height", 32, 8, 1024);
        var seconds = CliOptions.Double("--seconds", "Measured duration per perturbation in seconds", 1, 0.05, 600);
        var perturbations = new Option<string>("--perturbations") { Description = "Perturbations to measure: benchmark (10), extra (4), all or names (default all).", DefaultValueFactory = _ => "all" };
        var json = CliOptions.Json();
        var cmd = new Command("perturb", "Sequences per second of each perturbation (one thread, all frames of a sequence) on synthetic RGB images; --json prints an array.")
        {
            size, seconds, perturbations, json,
        };
        cmd.SetAction(parse =>
        {
            var kinds = CliOptions.ParsePerturbations(parse.GetValue(perturbations)!);
            int s = parse.GetValue(size);
            var duration = TimeSpan.FromSeconds(parse.GetValue(seconds));
            bool asJson = parse.GetValue(json);
            var results = new List<PixMix.Cli.Benchmarks.PerturbationThroughputResult>();
            Progress.Run("Measuring perturbations", kinds.Count, asJson, tick =>
            {
                foreach (var kind in kinds)
                {
                    results.Add(PixMix.Cli.Benchmarks.PerturbationThroughput.Measure(new(kind), s, duration));
                    tick?.Invoke(results.Count);
                }
            });
            if (asJson) stdout.WriteLine(System.Text.Json.JsonSerializer.Serialize(results, CliOutput.JsonOptions));
            else foreach (var r in results) stdout.WriteLine($"{r.Perturbation,-15} {r.Size}x{r.Size}, {r.Frames} frames: {r.SequencesPerSecond,10:N1} sequences/s ({r.SequencesPerCpuSecond:N1} per processor second)");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
