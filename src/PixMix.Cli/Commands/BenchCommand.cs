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
        var pixMix = new PixMixOptions(new PixMixParameters());
        var data = DataOption();
        var json = CliOptions.Json();
        var cmd = new Command("augment", "Images per second of the PixMix imaging core: train transform, PixMix (k rounds with fractal mixing pictures) and normalization, per image, on Fashion-MNIST test images.")
        {
            size, threads, seconds, pixMix.K, pixMix.Beta, pixMix.Severity, data, json,
        };
        cmd.SetAction(parse =>
        {
            string? dataFolder = parse.GetValue(data);
            if (dataFolder is not null) CliOptions.ExistingFolder("--data", dataFolder);
            var r = AugmentBenchmark.Run(parse.GetValue(size), parse.GetValue(threads), TimeSpan.FromSeconds(parse.GetValue(seconds)),
                pixMix.Read(parse),
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
        var (size, seconds) = PerKindOptions("corruption");
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
            MeasureEach(stdout, parse.GetValue(json), "Measuring corruptions", kinds, kind => CorruptionThroughput.Measure(kind, s, duration, set),
                r => $"{r.Corruption,-18} {r.Size}x{r.Size} ({r.ParameterSet}): {r.ImagesPerSecond,12:N1} images/s");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command CreatePerturb(TextWriter stdout)
    {
        var (size, seconds) = PerKindOptions("perturbation");
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
            MeasureEach(stdout, parse.GetValue(json), "Measuring perturbations", kinds, kind => PerturbationThroughput.Measure(new(kind), s, duration),
                r => $"{r.Perturbation,-15} {r.Size}x{r.Size}, {r.Frames} frames: {r.SequencesPerSecond,10:N1} sequences/s ({r.SequencesPerCpuSecond:N1} per processor second)");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>--size and --seconds of the benchmarks that measure each <paramref name="kind"/> (corruption, perturbation) in turn.</summary>
    private static (Option<int> Size, Option<double> Seconds) PerKindOptions(string kind)
        => (CliOptions.Int("--size", "Image width and height", 32, 8, 1024),
            CliOptions.Double("--seconds", $"Measured duration per {kind} in seconds", 1, 0.05, 600));

    /// <summary>
    /// Measures each of <paramref name="kinds"/> in turn (with a progress bar unless the output is JSON), then prints the
    /// results: a JSON array, or one <paramref name="line"/> each.
    /// </summary>
    private static void MeasureEach<TKind, TResult>(TextWriter stdout, bool asJson, string title, IReadOnlyList<TKind> kinds,
        Func<TKind, TResult> measure, Func<TResult, string> line)
    {
        var results = new List<TResult>();
        Progress.Run(title, kinds.Count, asJson, tick =>
        {
            foreach (var kind in kinds)
            {
                results.Add(measure(kind));
                tick?.Invoke(results.Count);
            }
        });
        if (asJson) stdout.WriteLine(System.Text.Json.JsonSerializer.Serialize(results, CliOutput.JsonOptions));
        else foreach (var r in results) stdout.WriteLine(line(r));
    }
}
