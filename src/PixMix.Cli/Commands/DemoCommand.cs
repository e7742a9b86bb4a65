using PixMix.Cli.Demo;

namespace PixMix.Cli.Commands;

/// <summary>pixmix demo: trains a baseline and a PixMix model on the shipped Fashion-MNIST, for several seeds, and compares their safety metrics.</summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var output = new Option<string>("--output") { Description = "Folder for the report, charts, models and the generated Fashion-MNIST-C (default demo-output).", DefaultValueFactory = _ => "demo-output" };
        var data = new Option<string?>("--data") { Description = "The data folder holding fashion-mnist/ (or that folder itself); default: found automatically." };
        var seed = CliOptions.Seed();
        var quick = new Option<bool>("--quick") { Description = "A much smaller run (a minute or two) for a first look; its numbers are noisier." };
        var seeds = Ranged("--seeds", "Runs (seeds) per arm; the report gives each metric's mean and standard deviation (1..20; default 2, quick 1).", 1, 20);
        var trainImages = Ranged("--train-images", "Training images (100..60000; default 60000, quick 12000).", 100, 60_000);
        var testImages = Ranged("--test-images", "Test images of the clean metrics and anomaly detection (100..10000; default 10000, quick 1000).", 100, 10_000);
        var corruptionImages = Ranged("--corruption-images", "Test images Fashion-MNIST-C is made of (100..--test-images; default 1000, quick 300); each OOD set holds a fifth of --test-images.", 100, 10_000);
        var perturbationSequences = Ranged("--perturbation-sequences", "Sequences per perturbation of the generated Fashion-MNIST-P (10..--test-images; default 200, quick 40).", 10, 10_000);
        var pgdImages = Ranged("--pgd-images", "Test images attacked by PGD, L-inf 2/255, 20 steps (10..--test-images; default 500, quick 100).", 10, 10_000);
        var epochs = Ranged("--epochs", "Epochs per model (1..200; default 5, quick 3).", 1, 200);
        var batch = Ranged("--batch-size", "Batch size (8..4096; default 128).", 8, 4096);
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate of the cosine schedule ((0, 10]; default 0.1)." };
        CliOptions.Range(lr, v => v is not { } x || (x > 0 && x <= 10), "in (0, 10]");
        var dropout = new Option<double?>("--dropout") { Description = "Dropout probability before the network's linear layer ([0, 1); default 0)." };
        CliOptions.Range(dropout, v => v is not { } x || (x >= 0 && x < 1), "in [0, 1)");
        var pixMix = new PixMixOptions(RobustnessDemo.DefaultPixMix, "PixMix k (maximum mixing rounds) of the PixMix arm; the paper's CIFAR recipe uses 4", " of the PixMix arm");
        var torchThreads = CliOptions.Int("--torch-threads", "Torch intra-op threads (0 = TorchSharp's default)", 0, 0, 256);
        var json = CliOptions.Json();
        var cmd = new Command("demo", "Train the same small CNN with standard augmentation and with PixMix on Fashion-MNIST (32x32 RGB), for several seeds, evaluate every model on the clean test set, a generated Fashion-MNIST-C, a generated Fashion-MNIST-P (flip probability), PGD, calibration and synthetic out-of-distribution sets, and write a report of each metric's mean, spread and paired difference.")
        {
            output, data, seed, quick, seeds, trainImages, testImages, corruptionImages, perturbationSequences, pgdImages, epochs, batch, lr, dropout, pixMix.K, pixMix.Beta, pixMix.Severity, torchThreads, json,
        };
        cmd.SetAction(parse =>
        {
            string? dataFolder = parse.GetValue(data);
            if (dataFolder is not null) CliOptions.ExistingFolder("--data", dataFolder);
            string folder = CliOptions.OutputFolder("--output", parse.GetValue(output)!, dataFolder ?? CliOptions.ShippedDataFolder());
            bool asJson = parse.GetValue(json);
            var options = new DemoOptions
            {
                OutputFolder = folder, DataFolder = dataFolder, Seed = parse.GetValue(seed), Quick = parse.GetValue(quick),
                Seeds = parse.GetValue(seeds), TrainImages = parse.GetValue(trainImages), TestImages = parse.GetValue(testImages),
                CorruptionImages = parse.GetValue(corruptionImages), PerturbationSequences = parse.GetValue(perturbationSequences),
                AdversarialImages = parse.GetValue(pgdImages), Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(lr), Dropout = parse.GetValue(dropout), TorchThreads = parse.GetValue(torchThreads),
                PixMix = pixMix.Read(parse),
            };
            DemoSettings settings;
            try { settings = RobustnessDemo.Resolve(options); }
            catch (ArgumentOutOfRangeException ex) { throw new UsageException(OptionMessage(ex)); }
            DemoResult? result = null;
            Progress.Run(stderr, display =>
            {
                var progress = new InlineProgress<DemoProgress>(p =>
                {
                    if (p.Milestone) display.Milestone(p.Stage, p.Fraction, p.Message);
                    else display.Update(p.Stage, p.Fraction, p.Message);
                });
                result = RobustnessDemo.Run(options, progress, CancellationToken.None);
            });
            var r = result!;
            CliOutput.Result(stdout, asJson, new
            {
                command = "demo", output = Path.GetFullPath(folder), reportJson = r.ReportJsonPath, reportMarkdown = r.ReportMarkdownPath, charts = r.ChartPaths,
                elapsedSeconds = Math.Round(r.Elapsed.TotalSeconds, 1), seeds = settings.Seeds,
                metrics = r.Metrics.Select(m => new
                {
                    name = m.Name, baseline = m.Baseline, pixmix = m.PixMix, baselineMean = m.BaselineMean, baselineStd = m.BaselineStd,
                    pixmixMean = m.PixMixMean, pixmixStd = m.PixMixStd, differenceMean = m.DifferenceMean, differenceStd = m.DifferenceStd, beyondNoise = m.BeyondNoise,
                }),
            }, $"{r.SummaryText}{Environment.NewLine}Report: {r.ReportMarkdownPath} and {r.ReportJsonPath}; charts: {string.Join(", ", r.ChartPaths)} ({r.Elapsed.TotalMinutes:F1} min)");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    // The library names its options by their property names; the command line by their flags.
    private static string OptionMessage(ArgumentOutOfRangeException ex) => ex.ParamName switch
    {
        nameof(DemoOptions.CorruptionImages) => $"--corruption-images must be at most --test-images: {ex.Message}",
        nameof(DemoOptions.PerturbationSequences) => $"--perturbation-sequences must be at most --test-images: {ex.Message}",
        nameof(DemoOptions.AdversarialImages) => $"--pgd-images must be at most --test-images: {ex.Message}",
        _ => ex.Message,
    };

    private static Option<int?> Ranged(string name, string description, int min, int max)
    {
        var option = new Option<int?>(name) { Description = description };
        CliOptions.Range(option, v => v is not { } x || (x >= min && x <= max), $"in {min}..{max}");
        return option;
    }
}
