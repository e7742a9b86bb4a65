using System.Diagnostics;
using System.Globalization;
using PixMix.Imaging.Perturbations;
using PixMix.Cli.Workflows;
using PixMix.MLNet.Charts;
using PixMix.Imaging.Corruptions;

namespace PixMix.Cli.Demo;

/// <summary>
/// The main job on the shipped data, on a CPU: trains the same small CNN with the CIFAR recipe on Fashion-MNIST as
/// 32x32 RGB, once with standard augmentation (random crop + flip) and once with PixMix (built-in fractal mixing set),
/// for each of several seeds; evaluates every model on the clean test set, on a generated Fashion-MNIST-C (all 15
/// corruptions, 5 severities), for consistency on a generated Fashion-MNIST-P (the ten perturbations of the mean flip
/// probability), against the PGD attack, for calibration, and for anomaly detection against synthetic out-of-distribution
/// sets; and reports each metric's mean, spread and paired difference over the seeds.
/// </summary>
public static class RobustnessDemo
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private const double DefaultDropout = 0.0;
    private const int DefaultEpochs = 5;

    /// <summary>
    /// The PixMix arm's default parameters: the paper's CIFAR recipe (beta 3, severity 3, all 13 operations) with at
    /// most one mixing round (k 1) instead of four. In this CPU budget the small network underfits PixMix's training
    /// distribution, and each extra round costs clean accuracy while adding little robustness on Fashion-MNIST-C
    /// (the README's frontier gives the numbers of k 1, 2 and 4).
    /// </summary>
    public static PixMixParameters DefaultPixMix { get; } = new() { K = 1 };

    /// <summary>Resolves the sizes of a run: the options' values, or the defaults of the full or the quick run. Throws on values out of range.</summary>
    public static DemoSettings Resolve(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool q = options.Quick;
        var s = new DemoSettings(
            Seeds: options.Seeds ?? (q ? 1 : 2),
            TrainImages: options.TrainImages ?? (q ? 12_000 : 60_000),
            TestImages: options.TestImages ?? (q ? 1000 : 10_000),
            CorruptionImages: options.CorruptionImages ?? (q ? 300 : 1000),
            Epochs: options.Epochs ?? (q ? 3 : DefaultEpochs),
            LearningRate: options.LearningRate ?? 0.1,
            BatchSize: options.BatchSize ?? 128,
            PixMix: options.PixMix ?? DefaultPixMix,
            Seed: options.Seed,
            TorchThreads: options.TorchThreads,
            Dropout: options.Dropout ?? DefaultDropout,
            PerturbationSequences: options.PerturbationSequences ?? (q ? 40 : 200),
            AdversarialImages: options.AdversarialImages ?? (q ? 100 : 500));
        Check(s.Seeds, 1, 20, nameof(DemoOptions.Seeds));
        Check(s.TrainImages, 100, 60_000, nameof(DemoOptions.TrainImages));
        Check(s.TestImages, 100, 10_000, nameof(DemoOptions.TestImages));
        Check(s.CorruptionImages, 100, s.TestImages, nameof(DemoOptions.CorruptionImages));
        Check(s.PerturbationSequences, 10, s.TestImages, nameof(DemoOptions.PerturbationSequences));
        Check(s.AdversarialImages, 10, s.TestImages, nameof(DemoOptions.AdversarialImages));
        Check(s.Epochs, 1, 200, nameof(DemoOptions.Epochs));
        Check(s.BatchSize, 8, 4096, nameof(DemoOptions.BatchSize));
        if (!(s.LearningRate > 0 && s.LearningRate <= 10))
            throw new ArgumentOutOfRangeException(nameof(options), s.LearningRate, $"{nameof(DemoOptions.LearningRate)} must be in (0, 10].");
        Check(s.TorchThreads, 0, 256, nameof(DemoOptions.TorchThreads));
        if (!(s.Dropout >= 0 && s.Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(DemoOptions.Dropout), s.Dropout, $"{nameof(DemoOptions.Dropout)} must be in [0, 1), got {s.Dropout.ToString(Invariant)}.");
        s.PixMix.Validate();
        return s;
    }

    private static void Check(int value, int min, int max, string name)
    {
        if (value < min || value > max)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in {min}..{max}, got {value}.");
    }

    /// <summary>Runs the demo.</summary>
    public static DemoResult Run(DemoOptions options, IProgress<DemoProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var s = Resolve(options);
        var clock = Stopwatch.StartNew();
        string outDir = Path.GetFullPath(options.OutputFolder);
        if (File.Exists(outDir)) throw new ArgumentException($"Demo output '{outDir}' is a file; expected a folder.", nameof(options));
        Directory.CreateDirectory(outDir);

        var train = new ImageSourceSlice(FashionMnist.OpenAs32x32Rgb(train: true, options.DataFolder), 0, s.TrainImages);
        var test = new ImageSourceSlice(FashionMnist.OpenAs32x32Rgb(train: false, options.DataFolder), 0, s.TestImages);
        var corruptionSource = new ImageSourceSlice(test, 0, s.CorruptionImages);
        var trainView = new ImageSourceDataView(train, classCount: 10);
        var testView = new ImageSourceDataView(test, classCount: 10);

        // 1. Fashion-MNIST-C from the first CorruptionImages test images, the same for every run.
        string cFolder = Path.Combine(outDir, "fashion-mnist-c");
        progress?.Report(new DemoProgress("corrupt", 0, $"Generating Fashion-MNIST-C ({s.CorruptionImages} images x 15 corruptions x 5 severities)"));
        CorruptedSetWriter.Write(corruptionSource, cFolder, CorruptionNames.BenchmarkNames,
            (name, severity, src, dst, index) =>
            {
                var kind = CorruptionNames.Parse(name);
                var rng = PixMixRandom.For(s.Seed, 1000 + (int)kind * 10 + severity, index);
                Corruptor.Apply(kind, severity, src, dst, ref rng, CorruptionParameterSet.Cifar);
            },
            new CorruptedSetWriterOptions { SkipExisting = false },
            CorruptionProgress(progress, s.CorruptionImages * 5L, CorruptionNames.BenchmarkNames.Count),
            cancellationToken);
        using var corrupted = CifarCorruptedSet.Open(cFolder, FashionMnist.ClassNames);

        // Fashion-MNIST-P from the first PerturbationSequences test images, the same for every run.
        string pFolder = Path.Combine(outDir, "fashion-mnist-p");
        var perturbationSpecs = PerturbationNames.Benchmark.Select(k => new PerturbationSpec(k)).ToList();
        progress?.Report(new DemoProgress("perturb", 0, $"Generating Fashion-MNIST-P ({s.PerturbationSequences} sequences x {perturbationSpecs.Count} perturbations)"));
        PerturbationSets.Write(new ImageSourceSlice(test, 0, s.PerturbationSequences), pFolder, perturbationSpecs, s.Seed,
            new CorruptedSetWriterOptions(), cancellationToken: cancellationToken);
        var perturbationFiles = perturbationSpecs.Select(p => PerturbationSequences.Open(Path.Combine(pFolder, p.Name + ".npy"))).ToList();
        using var releaseFiles = new Disposables(perturbationFiles);
        var perturbationSets = perturbationFiles.Select(f => PerturbationSet.FromFile(f)).ToList();
        var subsets = corrupted.Corruptions.SelectMany(c => Enumerable.Range(1, 5).Select(v => new CorruptedSubset(c, v, corrupted.Get(c, v)))).ToList();
        // As in the Outlier Exposure evaluation: each synthetic set holds a fifth as many images as the in-distribution test set.
        var oodSets = SyntheticOodSource.CreateAll(s.OodImages, 32, 32, 3, seed: s.Seed + 7).ToList();

        // 2. For each seed, two models: the same network, initialization, order and schedule; standard augmentation vs PixMix.
        string[] names = ["Baseline", "PixMix"];
        var runs = new[] { new List<SafetyReport>(), new List<SafetyReport>() };
        var chartPaths = new List<string>();
        for (int run = 0; run < s.Seeds; run++)
        {
            long seed = s.Seed + run;
            for (int m = 0; m < 2; m++)
            {
                var report = TrainAndEvaluate(s, seed, usePixMix: m == 1, names[m], $"{names[m]} {run + 1}/{s.Seeds}", trainView, testView, subsets, oodSets, perturbationSets, outDir, progress, cancellationToken);
                runs[m].Add(report);
                if (run == 0)
                {
                    string heat = Path.Combine(outDir, $"corruption-errors-{names[m].ToLowerInvariant()}.png");
                    ChartExporter.SavePng(SafetyCharts.CorruptionHeatMap(report, $"{names[m]} (seed {seed}): error by corruption and severity"), heat, 900, 600);
                    string rel = Path.Combine(outDir, $"reliability-{names[m].ToLowerInvariant()}.png");
                    ChartExporter.SavePng(SafetyCharts.ReliabilityDiagram(report, $"{names[m]} (seed {seed}): reliability"), rel, 600, 600);
                    string flips = Path.Combine(outDir, $"consistency-{names[m].ToLowerInvariant()}.png");
                    ChartExporter.SavePng(SafetyCharts.ConsistencyBars(report, $"{names[m]} (seed {seed}): flip probability on Fashion-MNIST-P, mean {100 * report.Consistency!.MeanFlipRate:0.00}%"), flips, 900, 500);
                    chartPaths.Add(heat); chartPaths.Add(rel); chartPaths.Add(flips);
                }
            }
        }

        string comparisonChart = Path.Combine(outDir, "comparison.png");
        ChartExporter.SavePng(SafetyCharts.Comparison(runs[0][0], runs[1][0], names[0], names[1], $"Baseline vs PixMix (seed {s.Seed}): error by corruption"), comparisonChart, 1000, 600);
        chartPaths.Insert(0, comparisonChart);

        var metrics = DemoSummary.Create(runs[0], runs[1]);
        double seconds = clock.Elapsed.TotalSeconds;
        string json = Path.Combine(outDir, "report.json");
        string md = Path.Combine(outDir, "report.md");
        var doc = new DemoReportDocument(s, seconds, Environment.ProcessorCount, metrics.Select(DemoReportDocument.MetricEntry.From).ToList(), runs[0], runs[1]);
        AtomicFile.WriteAllText(json, JsonSerializer.Serialize(doc, DemoReportDocument.JsonOptions));
        AtomicFile.WriteAllText(md, "# PixMix demo: Fashion-MNIST, baseline vs PixMix\n\n"
            + Describe(s) + $" {seconds / 60:F1} minutes on {Environment.ProcessorCount} cores.\n\n"
            + $"Mean ± sample standard deviation over {s.Seeds} seed(s) (seeds {s.Seed}..{s.Seed + s.Seeds - 1}); the difference is PixMix minus baseline, "
            + "paired by seed. A difference is beyond the seed noise when a two-sided paired t-test over the seeds rejects no difference at the 5% level (with 2 seeds: the mean difference exceeds 12.7 standard errors).\n\n"
            + DemoSummary.ToMarkdown(metrics)
            + $"\n## Every corruption, seed {s.Seed}\n\n"
            + SafetyReportMarkdown.ToComparisonMarkdown(runs[0][0], runs[1][0], names[0], names[1])
            + "\n\n![comparison](comparison.png)\n");
        return new DemoResult(runs[0], runs[1], metrics, DemoSummary.ToText(metrics), json, md, chartPaths, clock.Elapsed);
    }

    // One milestone per corruption written (each holds the corruption images x 5 severities), in order.
    private static IProgress<CorruptedSetProgress>? CorruptionProgress(IProgress<DemoProgress>? progress, long perCorruption, int corruptions)
    {
        if (progress is null) return null;
        var counter = new UnitProgress("corruption", corruptions, perCorruption * corruptions);
        return new InlineProgress<CorruptedSetProgress>(p =>
        {
            if (p.ImagesDone > 0 && p.ImagesDone % perCorruption == 0 && p.ImagesDone / perCorruption > counter.Done)
            {
                string line = counter.Complete(p.Corruption, p.ImagesDone, imagesAreTotal: true);
                progress.Report(new DemoProgress("corrupt", counter.Fraction, line) { Milestone = true });
            }
            else progress.Report(new DemoProgress("corrupt", (double)p.ImagesDone / Math.Max(1, p.ImagesTotal), counter.Advance(p.Corruption, p.ImagesDone)));
        });
    }

    private sealed class Disposables(IEnumerable<IDisposable> items) : IDisposable
    {
        public void Dispose() { foreach (var item in items) item.Dispose(); }
    }

    /// <summary>IProgress that reports on the calling thread, in order.</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>One sentence with the settings, for the report.</summary>
    public static string Describe(DemoSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return string.Create(Invariant,
            $"SmallCnn, the first {s.TrainImages} Fashion-MNIST training images as 32x32 RGB, {s.Epochs} epochs of batch {s.BatchSize}, lr {s.LearningRate} cosine, dropout {s.Dropout}; "
            + $"PixMix k {s.PixMix.K}, beta {s.PixMix.Beta}, severity {s.PixMix.Severity}{(s.PixMix.AllOps ? ", all ops" : "")}, 1000 built-in fractals; "
            + $"clean metrics on the first {s.TestImages} test images, Fashion-MNIST-C of the first {s.CorruptionImages} (15 corruptions x 5 severities), "
            + $"Fashion-MNIST-P of the first {s.PerturbationSequences} (the benchmark's 10 perturbations), PGD (L-inf 2/255, 20 steps) on the first {s.AdversarialImages}, OOD sets of {s.OodImages} images each;");
    }

    private static SafetyReport TrainAndEvaluate(DemoSettings s, long seed, bool usePixMix, string name, string stage, ImageSourceDataView trainView,
        ImageSourceDataView testView, IList<CorruptedSubset> subsets, IList<OutOfDistributionSet> oodSets, IList<PerturbationSet> perturbationSets, string outDir,
        IProgress<DemoProgress>? progress, CancellationToken cancellationToken)
    {
        var ml = new MLContext(seed: (int)(seed & 0x7FFFFFFF));
        var recipe = usePixMix ? PixMixRecipe.Cifar with { Parameters = s.PixMix } : PixMixRecipe.Cifar.WithoutPixMix();
        var pipeline = ml.Transforms.PixMix(new PixMixOptions
        {
            InputColumnName = "Image", OutputColumnName = "Features", Recipe = recipe,
            MixingSet = MixingSet.Fractals(count: 1000, seed: s.Seed), Seed = seed,
        }).Append(ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
        {
            Architecture = ModelArchitecture.SmallCnn, Dropout = s.Dropout, Epochs = s.Epochs, BatchSize = s.BatchSize, LearningRate = s.LearningRate,
            Device = TrainingDevice.Cpu, Seed = (int)(seed & 0x7FFFFFFF) + 1, TorchThreads = s.TorchThreads,
            // Reported on the training thread, in order (Progress<T> would post each report to the thread pool).
            Progress = progress is null ? null : new InlineProgress<TrainingProgress>(p => progress.Report(
                new DemoProgress($"train {stage}", (double)p.Step / Math.Max(1, p.TotalSteps), p.ToString()) { Milestone = p.Kind == TrainingProgressKind.EpochEnd })),
            CancellationToken = cancellationToken,
        }));
        progress?.Report(new DemoProgress($"train {stage}", 0, $"Training {name}, seed {seed} ({s.TrainImages} images, {s.Epochs} epochs)"));
        var model = pipeline.Fit(trainView);
        try
        {
            ml.Model.SavePixMixModel(model, trainView.Schema, Path.Combine(outDir, string.Create(Invariant, $"model-{name.ToLowerInvariant()}-seed{seed}.zip")));
            progress?.Report(new DemoProgress($"evaluate {stage}", 0, $"Evaluating {name}, seed {seed}"));
            // One milestone per set scored: the evaluator says "Scoring <set>" as each starts, so a set ends when the next
            // starts or the evaluation returns. Every set holds the test images but the out-of-distribution sets.
            var sets = new UnitProgress("set", 1 + subsets.Count + oodSets.Count + perturbationSets.Count + 1,
                s.TestImages * (1L + subsets.Count) + oodSets.Sum(o => o.Images.Count) + perturbationSets.Sum(p => p.Frames.Count) + s.AdversarialImages);
            (string Name, long Images)? current = null;
            void Complete()
            {
                if (current is not { } c) return;
                string line = sets.Complete(c.Name, c.Images);
                progress?.Report(new DemoProgress($"evaluate {stage}", sets.Fraction, line) { Milestone = true });
                current = null;
            }
            long ImagesOf(string message) => oodSets.FirstOrDefault(o => message.Contains($"'{o.Name}'", StringComparison.Ordinal))?.Images.Count
                ?? perturbationSets.FirstOrDefault(p => message.Contains($"'{p.Name}'", StringComparison.Ordinal))?.Frames.Count
                ?? (message.Contains("PGD", StringComparison.Ordinal) ? s.AdversarialImages
                : message.Contains("severity", StringComparison.Ordinal) ? subsets[0].Images.Count : s.TestImages);
            var target = ModelEvaluation.AdversarialTarget(model, testView.Schema, name);
            var report = ml.MulticlassClassification.EvaluateSafety(model, testView, new SafetyEvaluationOptions
            {
                Corruptions = subsets,
                OutOfDistributionSets = oodSets,
                PerturbationSets = perturbationSets,
                AdversarialModel = () => target,
                AdversarialMaxExamples = s.AdversarialImages,
                ModelName = name, DatasetName = $"Fashion-MNIST 32x32 RGB (first {s.TestImages} test images) and Fashion-MNIST-C of the first {s.CorruptionImages}",
                Notes = new Dictionary<string, string>
                {
                    ["seed"] = seed.ToString(Invariant),
                    ["trainImages"] = s.TrainImages.ToString(Invariant),
                    ["epochs"] = s.Epochs.ToString(Invariant),
                    ["network"] = "SmallCnn",
                    ["augmentation"] = usePixMix
                        ? string.Create(Invariant, $"RandomCrop(32,4) + flip + PixMix (k {s.PixMix.K}, beta {s.PixMix.Beta}, severity {s.PixMix.Severity}, {(s.PixMix.AllOps ? "all ops" : "base ops")}, 1000 built-in fractals)")
                        : "RandomCrop(32,4) + flip",
                },
                Progress = progress is null ? null : new InlineProgress<string>(m =>
                {
                    Complete();
                    current = (m.StartsWith("Scoring ", StringComparison.Ordinal) ? m["Scoring ".Length..] : m, ImagesOf(m));
                    progress.Report(new DemoProgress($"evaluate {stage}", sets.Fraction, sets.Advance(current.Value.Name, sets.ImagesDone)));
                }),
            });
            Complete();
            return report;
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }
}
