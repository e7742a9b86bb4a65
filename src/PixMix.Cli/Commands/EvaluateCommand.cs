using PixMix.MLNet.Onnx;
using PixMix.Cli.Workflows;

namespace PixMix.Cli.Commands;

/// <summary>pixmix evaluate: the PixMix paper's safety metrics of a saved model, as report.json, report.md and charts.</summary>
internal static class EvaluateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = CliOptions.RequiredPath("--model", "The model file (from 'train' or 'import-pytorch').");
        var test = CliOptions.Data("--test", "The clean test data (its test split)", "fashion-mnist");
        var size = CliOptions.Int("--size", "Image size of folder data sets (images are resized and centre-cropped; default: the size the model was trained at when 'train' recorded it, else 32)", 32, 8, 1024);
        var corrupted = new Option<string?>("--corrupted") { Description = "A CIFAR-10-C style folder (<corruption>.npy + labels.npy) of the same test set." };
        var generate = new Option<bool>("--generate-corruptions") { Description = "Corrupt the test images on the fly instead of reading a folder." };
        var corruptions = new Option<string?>("--corruptions") { Description = "Corruptions evaluated: all, benchmark, extra or names (default: all in --corrupted; benchmark when generating)." };
        var severities = new Option<string>("--severities") { Description = "Severities evaluated, for example 1-5 or 3 (default 1-5).", DefaultValueFactory = _ => "1-5" };
        var parameters = CliOptions.CorruptionParameters();
        var perturbed = new Option<string?>("--perturbed") { Description = "A CIFAR-10-P style folder (<perturbation>.npy of sequences, optional labels.npy) of the same test set: the flip probability." };
        var generatePerturbations = new Option<bool>("--generate-perturbations") { Description = "Make perturbation sequences of the test images on the fly instead of reading a folder." };
        var perturbations = new Option<string?>("--perturbations") { Description = "Perturbations evaluated: benchmark, extra, all or names (default: all in --perturbed; benchmark when generating)." };
        var levels = new Option<string>("--levels") { Description = "Noise difficulty levels evaluated (1, 1-3); levels 2 and 3 are reported, not averaged (default 1).", DefaultValueFactory = _ => "1" };
        var perturbationSequences = CliOptions.Limit("--perturbation-sequences", "Sequences per perturbation (the first ones; default: as --limit)");
        var ood = new Option<string?>("--ood") { Description = "Synthetic out-of-distribution sets for anomaly detection: any of gaussian,rademacher,blobs (or all)." };
        var pgd = new Option<bool>("--pgd") { Description = "Run the PGD attack (L-inf 2/255, 20 steps); needs a model ending in the TorchSharp image classifier." };
        var pgdExamples = CliOptions.Int("--pgd-examples", "Images attacked by PGD at most", 1000, 1, int.MaxValue);
        var limit = CliOptions.Limit("--limit", "Use only the first N images of every set");
        var seed = CliOptions.Seed();
        var baseline = new Option<string?>("--baseline") { Description = "A baseline model's report.json on the same sets (from evaluate --output): corruption errors (mCE, relative mCE) and flip rates (mFR) relative to its = 100." };
        var output = new Option<string?>("--output") { Description = "A folder to write report.json, report.md and PNG charts to." };
        var json = CliOptions.Json();
        var layout = CliOptions.DataLayout();
        var inputLayout = new Option<string?>("--input-layout") { Description = "ONNX models: the input tensor's layout, nchw or nhwc (default: the file's pixmix contract)." };
        var inputSize = new Option<int?>("--input-size") { Description = "ONNX models: the input's height and width in pixels (default: the graph's fixed size, else the file's contract)." };
        var mean = new Option<string?>("--mean") { Description = "ONNX models: per-channel means R,G,B in the 0..1 scale the input is normalized with (default: the file's contract)." };
        var std = new Option<string?>("--std") { Description = "ONNX models: per-channel standard deviations R,G,B in the 0..1 scale (default: the file's contract)." };
        var classNames = new Option<string?>("--class-names") { Description = "ONNX models: the class names in output order, a file (one a line) or a comma-separated list (default: the file's contract, else paired by position)." };
        var outputTensor = new Option<string?>("--output-tensor") { Description = "ONNX models: the output read (default: 'logits', else the one output of shape [batch, classes])." };
        var engine = new Option<string?>("--engine") { Description = "What scores a model file's classifier: torchsharp (default; the numbers ML.NET's Evaluate gives) or onnxruntime (the network exported in memory, scored in batches; equal to float rounding)." };
        engine.AcceptOnlyFromAmong("torchsharp", "onnxruntime");
        var scoreKind = new Option<string?>("--scores") { Description = "ONNX models: what the output holds, logits (default) or probabilities." };
        var cmd = new Command("evaluate", "Evaluate a saved model: clean error and calibration, corruption robustness (CIFAR-C folder or generated), consistency (CIFAR-P folder or generated), anomaly detection on synthetic sets, PGD.")
        {
            model, test, size, corrupted, generate, corruptions, severities, parameters, perturbed, generatePerturbations, perturbations, levels, perturbationSequences, ood, pgd, pgdExamples, limit, seed, baseline, output, json, engine,
        };
        foreach (var option in layout.All) cmd.Options.Add(option);
        foreach (var option in new Option[] { inputLayout, inputSize, mean, std, classNames, outputTensor, scoreKind }) cmd.Options.Add(option);
        cmd.SetAction(parse =>
        {
            string modelPath = CliOptions.ExistingFile("--model", parse.GetValue(model)!);
            var reference = DataSetReference.Parse(parse.GetValue(test)!, "--test");
            string? corruptedFolder = parse.GetValue(corrupted);
            if (corruptedFolder is not null) CliOptions.ExistingFolder("--corrupted", corruptedFolder);
            if (corruptedFolder is not null && parse.GetValue(generate)) throw new UsageException("--corrupted and --generate-corruptions exclude each other; give one.");
            var kinds = parse.GetValue(corruptions) is { } c ? CliOptions.ParseCorruptions(c) : null;
            string? perturbedFolder = parse.GetValue(perturbed);
            if (perturbedFolder is not null) CliOptions.ExistingFolder("--perturbed", perturbedFolder);
            if (perturbedFolder is not null && parse.GetValue(generatePerturbations)) throw new UsageException("--perturbed and --generate-perturbations exclude each other; give one.");
            var perturbationSpecs = parse.GetValue(perturbations) is { } p
                ? CliOptions.ParsePerturbationSpecs(CliOptions.ParsePerturbations(p), parse.GetValue(levels)!)
                : parse.GetResult(levels) is { Implicit: false } ? CliOptions.ParsePerturbationSpecs(PixMix.Imaging.Perturbations.PerturbationNames.Benchmark, parse.GetValue(levels)!) : null;
            string? baselinePath = parse.GetValue(baseline) is { } bp ? CliOptions.ExistingFile("--baseline", bp) : null;
            var outFolder = parse.GetValue(output);
            if (outFolder is not null) CliOptions.OutputFolder("--output", outFolder, modelPath, CliOptions.DataFolderOf(reference), corruptedFolder, perturbedFolder);
            bool asJson = parse.GetValue(json);
            var onnx = OnnxSettings(parse, modelPath, inputLayout, inputSize, mean, std, classNames, outputTensor, scoreKind);
            var chosenEngine = parse.GetValue(engine) == "onnxruntime" ? EvaluationEngine.OnnxRuntime : EvaluationEngine.TorchSharp;
            if (onnx is not null && parse.GetValue(engine) == "torchsharp")
                throw new UsageException($"--engine torchsharp: ONNX model '{modelPath}' has no TorchSharp network; it is scored by ONNX Runtime. Leave --engine out.");
            if (onnx is not null && parse.GetValue(pgd))
                throw new UsageException($"--pgd: ONNX model '{modelPath}' cannot be attacked: {OnnxImageClassifierTransformer.PgdReason} Leave --pgd out; the report says PGD was not evaluated.");

            using var testSource = new SourceScope(reference.Open(train: false, layout.Read(parse, FolderImageSize(parse, size, reference, modelPath))));
            var skipped = DataLayoutOptions.Skipped(testSource.Source);
            var settings = new ModelEvaluationSettings
            {
                ModelPath = modelPath,
                TestImages = testSource.Source,
                DatasetName = reference.Name,
                Limit = parse.GetValue(limit),
                CorruptedFolder = corruptedFolder,
                GenerateCorruptions = parse.GetValue(generate),
                Corruptions = kinds,
                Severities = CliOptions.ParseSeverities(parse.GetValue(severities)!),
                CorruptionParameters = CliOptions.ParseCorruptionParameters(parse.GetValue(parameters)!),
                Seed = parse.GetValue(seed),
                PerturbedFolder = perturbedFolder,
                GeneratePerturbations = parse.GetValue(generatePerturbations),
                Perturbations = perturbationSpecs,
                PerturbationSequences = parse.GetValue(perturbationSequences),
                OutOfDistribution = ParseOod(parse.GetValue(ood)),
                Adversarial = parse.GetValue(pgd),
                AdversarialMaxExamples = parse.GetValue(pgdExamples),
                BaselineReportPath = baselinePath,
                OutputFolder = outFolder,
                Onnx = onnx,
                Engine = chosenEngine,
            };
            ModelEvaluationResult? result = null;
            // One progress step per set scored: the clean set, each corruption cell, each out-of-distribution set, the attack.
            int corruptionCells = settings.GenerateCorruptions ? (kinds?.Count ?? CorruptionNames.BenchmarkCount) * settings.Severities.Count
                : corruptedFolder is null ? 0 : (kinds?.Count ?? Directory.GetFiles(corruptedFolder, "*.npy").Count(f => Path.GetFileName(f) != CifarCorruptedSet.LabelsFileName)) * settings.Severities.Count;
            int perturbationFiles = settings.GeneratePerturbations ? (perturbationSpecs?.Count ?? PixMix.Imaging.Perturbations.PerturbationNames.Benchmark.Count)
                : perturbedFolder is null ? 0 : (perturbationSpecs?.Count ?? PerturbationSequences.ListFolder(perturbedFolder).Count);
            int sets = 1 + corruptionCells + perturbationFiles + settings.OutOfDistribution.Count + (settings.Adversarial ? 1 : 0);
            // One line per set scored (the library says "Scoring <set>" as each starts, so a set ends when the next starts
            // or the run returns); every set but the attack holds the test images, the attack at most --pgd-examples.
            long testCount = Math.Min(parse.GetValue(limit) ?? long.MaxValue, testSource.Source.Count);
            long attacked = Math.Min(testCount, settings.AdversarialMaxExamples);
            // A perturbation set holds its sequences' frames (31 a sequence for most perturbations).
            long sequenceCount = Math.Min(settings.PerturbationSequences ?? testCount, testCount);
            long FramesOf(string message)
            {
                int q = message.IndexOf('\'');
                string name = q >= 0 && message.IndexOf('\'', q + 1) is int e and > 0 ? message[(q + 1)..e] : "";
                return sequenceCount * (PixMix.Imaging.Perturbations.PerturbationNames.TryParseFileName(name, out var kind, out _) ? PixMix.Imaging.Perturbations.PerturbationNames.FrameCount(kind) : 31);
            }
            var counter = new UnitProgress("set", sets, (sets - perturbationFiles - (settings.Adversarial ? 1 : 0)) * testCount + perturbationFiles * sequenceCount * 31 + (settings.Adversarial ? attacked : 0));
            Progress.Run(stderr, display =>
            {
                (string Name, long Images)? current = null;
                void Complete()
                {
                    if (current is not { } c) return;
                    string line = counter.Complete(c.Name, c.Images);
                    display.Milestone("evaluate", counter.Fraction, line);
                    current = null;
                }
                var progress = new InlineProgress<string>(message =>
                {
                    Complete();
                    bool attack = message.Contains("PGD", StringComparison.Ordinal);
                    long images = attack ? attacked : message.Contains("perturbation set", StringComparison.Ordinal) ? FramesOf(message) : testCount;
                    current = (message.StartsWith("Scoring ", StringComparison.Ordinal) ? message["Scoring ".Length..] : message, images);
                    display.Update("evaluate", counter.Fraction, counter.Advance(current.Value.Name, counter.ImagesDone));
                });
                try { result = ModelEvaluation.Run(new MLContext(seed: 1), settings, progress); }
                catch (OnnxSettingRequiredException e)
                {
                    throw new UsageException($"{CliOptionOf(e.Setting)} is required for ONNX model '{e.ModelPath}', which carries no pixmix contract in its metadata{e.Detail}.");
                }
                Complete();
            });
            var r = result!.Report;
            CliOutput.Result(stdout, asJson, new
            {
                command = "evaluate", model = Path.GetFullPath(modelPath), test = reference.Name, engine = r.Metadata.Notes?.GetValueOrDefault("engine"), examples = r.Clean.Examples,
                classMatching = JsonNamingPolicy.CamelCase.ConvertName(r.Metadata.ClassMatching.ToString()), classMatchingNote = r.Metadata.ClassMatchingNote,
                error = r.Clean.Error, rmsCalibrationError = r.Clean.RmsCalibrationError,
                corruptionError = r.Corruptions?.AverageError, corruptionRmsCalibrationError = r.Corruptions?.AverageRmsCalibrationError,
                meanFlipProbability = r.Consistency?.MeanFlipRate,
                mce = r.Corruptions?.Mce, relativeMce = r.Corruptions?.RelativeMce, mfr = r.Consistency?.NormalizedMeanFlipRate,
                meanAuroc = r.AnomalyDetection?.MeanAuroc, meanFprAtRecall = r.AnomalyDetection?.MeanFprAtRecall,
                adversarialError = r.Adversarial?.AdversarialError, notEvaluated = r.NotEvaluated, files = result.Files, skippedImages = skipped.Count, skippedFiles = skipped,
            }, Text(r, result.Files) + DataLayoutOptions.SkippedText(skipped, "image(s)"));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    // Folder test images are read at the size the model's folder training data was read at, when the model file records
    // it: by default, and an explicit --size must agree (other sizes would be refused by the model, or score other crops).
    private static int FolderImageSize(ParseResult parse, Option<int> size, DataSetReference reference, string modelPath)
    {
        int given = parse.GetValue(size);
        if (reference.Kind != DataSetKind.Folder || modelPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)
            || ClassifierTraining.ReadFolderImageSize(modelPath) is not { } recorded) return given;
        if (parse.GetResult(size) is { Implicit: false } && given != recorded)
            throw new UsageException($"--size {given} differs from the size model '{modelPath}' was trained at: its folder images were resized and centre-cropped to {recorded}x{recorded}; leave --size out or give --size {recorded}.");
        return recorded;
    }

    // The ONNX settings of a model file named *.onnx; the options are refused for other models.
    private static OnnxImageClassifierOptions? OnnxSettings(ParseResult parse, string modelPath, Option<string?> layout, Option<int?> size,
        Option<string?> mean, Option<string?> std, Option<string?> classNames, Option<string?> outputTensor, Option<string?> scores)
    {
        bool isOnnx = modelPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);
        var given = new Option[] { layout, size, mean, std, classNames, outputTensor, scores }.Where(o => parse.GetResult(o) is { Implicit: false }).ToList();
        if (!isOnnx)
        {
            if (given.Count > 0) throw new UsageException($"{given[0].Name} applies to ONNX models (*.onnx); '{modelPath}' is a PixMix model file.");
            return null;
        }
        string source = $"ONNX model '{modelPath}'";
        return new OnnxImageClassifierOptions
        {
            ImageColumnName = ClassifierTraining.ImageColumnName,
            Layout = parse.GetValue(layout) is { } l ? l.Trim().ToLowerInvariant() switch
            {
                "nchw" => OnnxInputLayout.Nchw,
                "nhwc" => OnnxInputLayout.Nhwc,
                _ => throw new UsageException($"--input-layout is '{l}'; expected nchw or nhwc."),
            } : null,
            InputSize = parse.GetValue(size) is { } s ? (s is >= 1 and <= 65_536 ? s : throw new UsageException($"--input-size is {s}; expected 1 to 65536.")) : null,
            Mean = parse.GetValue(mean) is { } m ? Triple(m, "--mean", source, positive: false) : null,
            Std = parse.GetValue(std) is { } d ? Triple(d, "--std", source, positive: true) : null,
            ClassNames = parse.GetValue(classNames) is { } c ? ParseClassNames(c) : null,
            OutputTensorName = parse.GetValue(outputTensor),
            Scores = parse.GetValue(scores) is { } k ? k.Trim().ToLowerInvariant() switch
            {
                "logits" => OnnxScoreKind.Logits,
                "probabilities" => OnnxScoreKind.Probabilities,
                _ => throw new UsageException($"--scores is '{k}'; expected logits or probabilities."),
            } : OnnxScoreKind.Logits,
        };
    }

    private static float[] Triple(string text, string option, string source, bool positive)
    {
        try { return OnnxImageContract.ParseTriple(text, option, source, positive); }
        catch (FormatException e) { throw new UsageException(e.Message); }
    }

    // A file of names (one a line, blank lines ignored), or a comma-separated list.
    private static string[] ParseClassNames(string value)
    {
        var names = File.Exists(value)
            ? File.ReadAllLines(value).Select(n => n.Trim()).Where(n => n.Length > 0).ToArray()
            : value.Split(',', StringSplitOptions.TrimEntries);
        if (names.Length < 2 || names.Any(n => n.Length == 0))
            throw new UsageException($"--class-names '{value}' is neither a file of class names (one a line) nor a comma-separated list of at least two non-empty names.");
        return names;
    }

    private static string CliOptionOf(string setting) => setting switch
    {
        nameof(OnnxImageClassifierOptions.Layout) => "--input-layout",
        nameof(OnnxImageClassifierOptions.InputSize) => "--input-size",
        nameof(OnnxImageClassifierOptions.Mean) or nameof(OnnxImageClassifierOptions.Std) => "--mean with --std",
        _ => setting,
    };

    private static IReadOnlyList<SyntheticOodKind> ParseOod(string? text)
    {
        if (text is null) return [];
        if (text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)) return Enum.GetValues<SyntheticOodKind>();
        var kinds = new List<SyntheticOodKind>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Enum.TryParse<SyntheticOodKind>(part, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
                throw new UsageException($"--ood: '{part}' is not a synthetic set; expected gaussian, rademacher, blobs or all.");
            if (!kinds.Contains(kind)) kinds.Add(kind);
        }
        if (kinds.Count == 0) throw new UsageException("--ood names no set; expected gaussian, rademacher, blobs or all.");
        return kinds;
    }

    private static string Text(SafetyReport r, IReadOnlyList<string> files)
    {
        var lines = new List<string> { $"Clean error {r.Clean.Error:P2} on {r.Clean.Examples} images (RMS calibration error {r.Clean.RmsCalibrationError:P2})" };
        if (r.Metadata.ClassMatchingNote is { } note) lines.Add(note);
        if (r.Corruptions is { } cr) lines.Add($"Corruption error {cr.AverageError:P2} over {cr.Results.Count} corruption(s) (RMS calibration error {cr.AverageRmsCalibrationError:P2})");
        if (r.Consistency is { } cs) lines.Add($"Mean flip probability {cs.MeanFlipRate:P2} over {cs.Perturbations.Count(p => p.Level == 1)} perturbation(s) ({string.Join(", ", cs.Perturbations.Select(p => $"{p.Perturbation} {p.FlipRate:P2}"))})");
        if (r.Metadata.BaselineModelName is { } baseline)
            lines.Add($"Relative to baseline {(baseline.Length > 0 ? $"'{baseline}'" : "(unnamed)")} = 100: mCE {Value(r.Corruptions?.Mce)}, relative mCE {Value(r.Corruptions?.RelativeMce)}, mFR {Value(r.Consistency?.NormalizedMeanFlipRate)}");
        if (r.AnomalyDetection is { } ad) lines.Add($"Anomaly detection: mean AUROC {ad.MeanAuroc:P2}, FPR at {ad.RecallLevel:P0} recall {ad.MeanFprAtRecall:P2} ({string.Join(", ", ad.Sets.Select(s => s.OodSet))})");
        if (r.Adversarial is { } adv) lines.Add($"PGD error {adv.AdversarialError:P2} on {adv.Examples} images");
        foreach (var m in r.NotEvaluated ?? []) lines.Add($"Not evaluated, {m.Measure}: {m.Reason}");
        if (files.Count > 0) lines.Add($"Wrote {string.Join(", ", files)}");
        return string.Join(Environment.NewLine, lines);
    }

    private static string Value(double? v) => v is { } x ? x.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "-";
}
