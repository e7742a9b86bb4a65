using System.CommandLine;
using PixMix.MLNet.Demo;

namespace PixMix.Cli.Commands;

/// <summary>pixmix demo: trains a baseline and a PixMix model on the shipped Fashion-MNIST and compares their safety metrics.</summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter stdout)
    {
        var output = new Option<string>("--output") { Description = "Folder for the report, charts, models and the generated Fashion-MNIST-C (default demo-output).", DefaultValueFactory = _ => "demo-output" };
        var data = new Option<string?>("--data") { Description = "The data folder holding fashion-mnist/ (or that folder itself); default: found automatically." };
        var seed = CliOptions.Seed();
        var quick = new Option<bool>("--quick") { Description = "A much smaller run (a minute or two) for a first look; its numbers are noisier." };
        var trainImages = new Option<int?>("--train-images") { Description = "Training images (100..60000; default 20000, quick 3000)." };
        var testImages = new Option<int?>("--test-images") { Description = "Test images, also the source of Fashion-MNIST-C (100..10000; default 2000, quick 500)." };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs per model (1..200; default 8, quick 2)." };
        AddRange(trainImages, 100, 60_000);
        AddRange(testImages, 100, 10_000);
        AddRange(epochs, 1, 200);
        var json = CliOptions.Json();
        var cmd = new Command("demo", "Train the same small CNN with standard augmentation and with PixMix on Fashion-MNIST (32x32 RGB), evaluate both on a generated Fashion-MNIST-C, calibration and synthetic out-of-distribution sets, and write a side-by-side report.")
        {
            output, data, seed, quick, trainImages, testImages, epochs, json,
        };
        cmd.SetAction(parse =>
        {
            string folder = parse.GetValue(output)!;
            if (File.Exists(folder)) throw new UsageException($"--output '{folder}' is a file; expected a folder.");
            string? dataFolder = parse.GetValue(data);
            if (dataFolder is not null) CliOptions.ExistingFolder("--data", dataFolder);
            bool asJson = parse.GetValue(json);
            var options = new DemoOptions
            {
                OutputFolder = folder, DataFolder = dataFolder, Seed = parse.GetValue(seed), Quick = parse.GetValue(quick),
                TrainImages = parse.GetValue(trainImages), TestImages = parse.GetValue(testImages), Epochs = parse.GetValue(epochs),
            };
            DemoResult? result = null;
            Progress.RunStaged(asJson, report =>
            {
                var progress = report is null ? null : new InlineProgress<DemoProgress>(p => report(p.Stage, p.Fraction));
                result = RobustnessDemo.Run(options, progress, CancellationToken.None);
            });
            var r = result!;
            CliOutput.Result(stdout, asJson, new
            {
                command = "demo", output = Path.GetFullPath(folder), reportJson = r.ReportJsonPath, reportMarkdown = r.ReportMarkdownPath, charts = r.ChartPaths,
                elapsedSeconds = Math.Round(r.Elapsed.TotalSeconds, 1),
                baseline = new { error = r.Baseline.Clean.Error, corruptionError = r.Baseline.Corruptions?.AverageError, rmsCalibrationError = r.Baseline.Clean.RmsCalibrationError, meanAuroc = r.Baseline.AnomalyDetection?.MeanAuroc },
                pixmix = new { error = r.PixMix.Clean.Error, corruptionError = r.PixMix.Corruptions?.AverageError, rmsCalibrationError = r.PixMix.Clean.RmsCalibrationError, meanAuroc = r.PixMix.AnomalyDetection?.MeanAuroc },
            }, $"{r.ComparisonText}{Environment.NewLine}Report: {r.ReportMarkdownPath} and {r.ReportJsonPath}; charts: {string.Join(", ", r.ChartPaths)} ({r.Elapsed.TotalMinutes:F1} min)");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static void AddRange(Option<int?> option, int min, int max)
        => option.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<int?>();
            if (v is { } x && (x < min || x > max)) r.AddError($"Option '{option.Name}' must be in {min}..{max}, got {x}.");
        });
}
