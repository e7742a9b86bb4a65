using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using PixMix.Imaging;
using PixMix.Imaging.Corruptions;
using PixMix.Imaging.Data;
using PixMix.Imaging.Mixing;
using PixMix.MLNet.Charts;
using PixMix.MLNet.Data;
using PixMix.MLNet.Evaluation;
using PixMix.MLNet.Models;
using PixMix.MLNet.Persistence;
using PixMix.MLNet.Training;
using PixMix.MLNet.Transforms;

namespace PixMix.MLNet.Demo;

/// <summary>Settings of <see cref="RobustnessDemo"/>. The defaults finish in about 10 minutes on 2 CPU cores.</summary>
public sealed record DemoOptions
{
    /// <summary>Folder for report.json, report.md, the charts, the two models and the generated Fashion-MNIST-C.</summary>
    public string OutputFolder { get; init; } = "demo-output";
    /// <summary>The shipped data folder (data/ or data/fashion-mnist); null: found automatically.</summary>
    public string? DataFolder { get; init; }
    /// <summary>Seed of everything random (initialization, shuffling, PixMix, corruptions, OOD sets).</summary>
    public long Seed { get; init; }
    /// <summary>A much smaller run (a minute or two) for a first look; its numbers are noisier.</summary>
    public bool Quick { get; init; }
    /// <summary>Training images (first N of Fashion-MNIST train). Default 20,000 (quick: 3,000).</summary>
    public int? TrainImages { get; init; }
    /// <summary>Test images (first N of Fashion-MNIST test), also the source of Fashion-MNIST-C. Default 2,000 (quick: 500).</summary>
    public int? TestImages { get; init; }
    /// <summary>Epochs per model. Default 8 (quick: 2).</summary>
    public int? Epochs { get; init; }
}

/// <summary>A stage of the demo and how far it is.</summary>
public sealed record DemoProgress(string Stage, double Fraction, string Message);

/// <summary>What the demo produced.</summary>
public sealed record DemoResult(SafetyReport Baseline, SafetyReport PixMix, string ComparisonText, string ReportJsonPath, string ReportMarkdownPath,
    IReadOnlyList<string> ChartPaths, TimeSpan Elapsed);

/// <summary>
/// The main job on the shipped data, on a CPU: trains the same small CNN twice on Fashion-MNIST as 32x32 RGB with the
/// CIFAR recipe, once with standard augmentation (random crop + flip) and once with PixMix (built-in fractal
/// mixing set), then evaluates both on a generated Fashion-MNIST-C (all 15 corruptions, 5 severities), for
/// calibration, and for anomaly detection against synthetic out-of-distribution sets, and writes a side-by-side report.
/// </summary>
public static class RobustnessDemo
{
    /// <summary>Runs the demo.</summary>
    public static DemoResult Run(DemoOptions options, IProgress<DemoProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        int trainN = options.TrainImages ?? (options.Quick ? 3000 : 20_000);
        int testN = options.TestImages ?? (options.Quick ? 500 : 2000);
        int epochs = options.Epochs ?? (options.Quick ? 2 : 8);
        if (trainN is < 100 or > 60_000) throw new ArgumentOutOfRangeException(nameof(options), trainN, "TrainImages must be in 100..60000.");
        if (testN is < 100 or > 10_000) throw new ArgumentOutOfRangeException(nameof(options), testN, "TestImages must be in 100..10000.");
        if (epochs is < 1 or > 200) throw new ArgumentOutOfRangeException(nameof(options), epochs, "Epochs must be in 1..200.");
        string outDir = Path.GetFullPath(options.OutputFolder);
        if (File.Exists(outDir)) throw new ArgumentException($"Demo output '{outDir}' is a file; expected a folder.", nameof(options));
        Directory.CreateDirectory(outDir);

        var train = new ImageSourceSlice(FashionMnist.OpenAs32x32Rgb(train: true, options.DataFolder), 0, trainN);
        var test = new ImageSourceSlice(FashionMnist.OpenAs32x32Rgb(train: false, options.DataFolder), 0, testN);
        var ml = new MLContext(seed: (int)(options.Seed & 0x7FFFFFFF));
        var trainView = new ImageSourceDataView(train, classCount: 10);
        var testView = new ImageSourceDataView(test, classCount: 10);

        // 1. Fashion-MNIST-C from the test subset.
        string cFolder = Path.Combine(outDir, "fashion-mnist-c");
        progress?.Report(new DemoProgress("corrupt", 0, $"Generating Fashion-MNIST-C ({testN} images x 15 corruptions x 5 severities)"));
        CorruptedSetWriter.Write(test, cFolder, CorruptionNames.BenchmarkNames,
            (name, severity, src, dst, index) =>
            {
                var kind = CorruptionNames.Parse(name);
                var rng = PixMixRandom.For(options.Seed, 1000 + (int)kind * 10 + severity, index);
                Corruptor.Apply(kind, severity, src, dst, ref rng, CorruptionParameterSet.Cifar);
            },
            new CorruptedSetWriterOptions { SkipExisting = false },
            new Progress<CorruptedSetProgress>(p => progress?.Report(new DemoProgress("corrupt", 0, p.ToString() ?? ""))),
            cancellationToken);

        // 2. Two models: the same network and schedule, standard augmentation vs PixMix.
        var reports = new SafetyReport[2];
        var chartPaths = new List<string>();
        string[] names = ["Baseline", "PixMix"];
        using var corrupted = CifarCorruptedSet.Open(cFolder, FashionMnist.ClassNames);
        for (int m = 0; m < 2; m++)
        {
            bool usePixMix = m == 1;
            var recipe = usePixMix ? PixMixRecipe.Cifar : PixMixRecipe.Cifar.WithoutPixMix();
            var pipeline = ml.Transforms.PixMix(new PixMixOptions
            {
                InputColumnName = "Image", OutputColumnName = "Features", Recipe = recipe,
                MixingSet = MixingSet.Fractals(count: 1000, seed: options.Seed), Seed = options.Seed,
            }).Append(ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
            {
                Architecture = ModelArchitecture.SmallCnn, Epochs = epochs, BatchSize = 128, LearningRate = 0.05,
                Device = TrainingDevice.Cpu, Seed = (int)(options.Seed & 0x7FFFFFFF) + 1,
                Progress = new Progress<TrainingProgress>(p => progress?.Report(new DemoProgress($"train {names[m]}", (double)p.Step / Math.Max(1, p.TotalSteps), p.ToString()))),
                CancellationToken = cancellationToken,
            }));
            progress?.Report(new DemoProgress($"train {names[m]}", 0, $"Training the {names[m]} model ({trainN} images, {epochs} epochs)"));
            var model = pipeline.Fit(trainView);
            ml.Model.SavePixMixModel(model, trainView.Schema, Path.Combine(outDir, $"model-{names[m].ToLowerInvariant()}.zip"));

            progress?.Report(new DemoProgress($"evaluate {names[m]}", 0, $"Evaluating the {names[m]} model"));
            var subsets = corrupted.Corruptions.SelectMany(c => Enumerable.Range(1, 5).Select(s => new CorruptedSubset(c, s, corrupted.Get(c, s)))).ToList();
            reports[m] = ml.MulticlassClassification.EvaluateSafety(model, testView, new SafetyEvaluationOptions
            {
                Corruptions = subsets,
                OutOfDistributionSets = SyntheticOodSource.CreateAll(testN, 32, 32, 3, seed: options.Seed + 7).ToList(),
                ModelName = names[m], DatasetName = $"Fashion-MNIST 32x32 RGB (first {testN} test images) and Fashion-MNIST-C",
                Notes = new Dictionary<string, string>
                {
                    ["trainImages"] = trainN.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["epochs"] = epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["network"] = "SmallCnn",
                    ["augmentation"] = usePixMix ? "RandomCrop(32,4) + flip + PixMix (k 4, beta 3, severity 3, all ops, 1000 built-in fractals)" : "RandomCrop(32,4) + flip",
                },
                Progress = new Progress<string>(s => progress?.Report(new DemoProgress($"evaluate {names[m]}", 0, s))),
            });
            string heat = Path.Combine(outDir, $"corruption-errors-{names[m].ToLowerInvariant()}.png");
            ChartExporter.SavePng(SafetyCharts.CorruptionHeatMap(reports[m], $"{names[m]}: error by corruption and severity"), heat, 900, 600);
            string rel = Path.Combine(outDir, $"reliability-{names[m].ToLowerInvariant()}.png");
            ChartExporter.SavePng(SafetyCharts.ReliabilityDiagram(reports[m], $"{names[m]}: reliability"), rel, 600, 600);
            chartPaths.Add(heat); chartPaths.Add(rel);
            (model as IDisposable)?.Dispose();
        }

        string comparisonChart = Path.Combine(outDir, "comparison.png");
        ChartExporter.SavePng(SafetyCharts.Comparison(reports[0], reports[1], names[0], names[1], "Baseline vs PixMix: error by corruption"), comparisonChart, 1000, 600);
        chartPaths.Insert(0, comparisonChart);

        string json = Path.Combine(outDir, "report.json");
        string md = Path.Combine(outDir, "report.md");
        var doc = new DemoReportDocument(names[0], names[1], reports[0], reports[1], clock.Elapsed.TotalSeconds, trainN, testN, epochs, options.Seed);
        AtomicFile.WriteAllText(json, JsonSerializer.Serialize(doc, DemoReportDocument.JsonOptions));
        var text = SafetyReportMarkdown.ToComparisonText(reports[0], reports[1], names[0], names[1]);
        AtomicFile.WriteAllText(md, "# PixMix demo: Fashion-MNIST, baseline vs PixMix\n\n"
            + $"SmallCnn, {trainN} training images, {epochs} epochs each; {testN} test images and their Fashion-MNIST-C (15 corruptions x 5 severities); "
            + $"seed {options.Seed}; {clock.Elapsed.TotalMinutes:F1} minutes.\n\n"
            + SafetyReportMarkdown.ToComparisonMarkdown(reports[0], reports[1], names[0], names[1])
            + "\n\n![comparison](comparison.png)\n");
        return new DemoResult(reports[0], reports[1], text, json, md, chartPaths, clock.Elapsed);
    }

    /// <summary>report.json of the demo: both reports and the settings.</summary>
    internal sealed record DemoReportDocument(string BaselineName, string CandidateName, SafetyReport Baseline, SafetyReport Candidate,
        double Seconds, int TrainImages, int TestImages, int Epochs, long Seed)
    {
        public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        };
    }
}
