using PixMix.Imaging.Perturbations;
using PixMix.MLNet.Charts;
using PixMix.MLNet.Onnx;
using PixMix.Imaging.Core;

namespace PixMix.Cli.Workflows;

/// <summary>
/// Evaluates a saved model with <c>mlContext.MulticlassClassification.EvaluateSafety</c> on a clean test set and,
/// as asked, on a CIFAR-C folder or corruptions generated on the fly, synthetic out-of-distribution sets and the PGD
/// attack; writes report.json, report.md and PNG charts.
/// </summary>
public static class ModelEvaluation
{
    /// <summary>The JSON report's file name.</summary>
    public const string ReportJsonFileName = SafetyReportFiles.JsonFileName;
    /// <summary>The Markdown report's file name.</summary>
    public const string ReportMarkdownFileName = SafetyReportFiles.MarkdownFileName;

    /// <summary>Loads the model, evaluates it and writes the report files (each atomically).</summary>
    /// <exception cref="ArgumentException">Contradictory settings, or sets whose image size differs from the test set's.</exception>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="InvalidDataException">The model file or the corrupted folder is not readable.</exception>
    public static ModelEvaluationResult Run(MLContext context, ModelEvaluationSettings settings, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.CorruptedFolder is not null && settings.GenerateCorruptions)
            throw new ArgumentException("Give either a corrupted folder or ask to generate corruptions, not both.", nameof(settings));
        if (settings.PerturbedFolder is not null && settings.GeneratePerturbations)
            throw new ArgumentException("Give either a perturbed folder or ask to generate perturbations, not both.", nameof(settings));
        if (settings.Limit is < 1) throw new ArgumentOutOfRangeException(nameof(settings), settings.Limit, "Limit must be at least 1.");
        if (!settings.TestImages.HasLabels) throw new ArgumentException("The test images have no labels.", nameof(settings));
        if (!File.Exists(settings.ModelPath)) throw new FileNotFoundException($"Model file '{settings.ModelPath}' not found.", settings.ModelPath);

        var test = ImageSourceSlice.Take(settings.TestImages, settings.Limit);
        var baseline = settings.BaselineReportPath is { } baselinePath ? SafetyReportJson.Load(baselinePath) : null;
        // An ONNX classifier reads the pixels of the "Image" column through the chain its file and options describe.
        DataViewSchema? inputSchema = null;
        ITransformer loaded = settings.Onnx is { } onnx
            ? context.Transforms.OnnxImageClassifier(settings.ModelPath, onnx).Fit(new ImageSourceDataView(test, ClassifierTraining.ImageColumnName, ClassifierTraining.LabelColumnName))
            : context.Model.LoadPixMixModel(settings.ModelPath, out inputSchema);
        // The ONNX Runtime engine: the same chain, its classifier's network exported in memory and scored in batches.
        ITransformer model = loaded;
        try
        {
            if (settings.Onnx is null && settings.Engine == EvaluationEngine.OnnxRuntime) model = context.Model.WithOnnxRuntimeEngine(loaded);
            // A chain that loads pictures itself (paths -> LoadImages -> ...) is fed paths and string labels; any other
            // reads the pixels of its "Image" column.
            var paths = inputSchema is null ? null : PicturePathInput.Find(model, inputSchema, ClassifierTraining.LabelColumnName);
            IDataView clean;
            if (paths is not null)
            {
                clean = paths.View(context, test, settings.ModelPath, settings.DatasetName);
                CheckClassNames(model, clean, test, settings);
            }
            else
            {
                clean = new ImageSourceDataView(test, ClassifierTraining.ImageColumnName, ClassifierTraining.LabelColumnName);
                if (inputSchema is not null) CheckImageShape(inputSchema, test, settings);
            }
            using var corrupted = settings.CorruptedFolder is null ? null : CifarCorruptedSet.Open(settings.CorruptedFolder, test.ClassNames);
            var options = new SafetyEvaluationOptions
            {
                ImageColumnName = ClassifierTraining.ImageColumnName,
                LabelColumnName = ClassifierTraining.LabelColumnName,
                ModelName = Path.GetFileName(settings.ModelPath),
                DatasetName = settings.DatasetName,
                Progress = progress,
                Seed = settings.Seed,
                Baseline = baseline,
                Notes = new Dictionary<string, string>
                {
                    ["model"] = Path.GetFullPath(settings.ModelPath),
                    ["testImages"] = test.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["seed"] = settings.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["engine"] = settings.Onnx is not null || settings.Engine == EvaluationEngine.OnnxRuntime ? OnnxRuntimeEngine.EngineName : "torchsharp",
                },
            };
            if (model is OnnxImageClassifierTransformer onnxModel)
            {
                var c = onnxModel.Info.Contract;
                var inv = System.Globalization.CultureInfo.InvariantCulture;
                options.Notes["onnx.input"] = $"'{onnxModel.Info.InputTensorName}' {OnnxImageClassifierInfo.FormatShape(onnxModel.Info.InputShape)} {(c.Layout == OnnxInputLayout.Nchw ? "NCHW" : "NHWC")} {c.InputSize}x{c.InputSize}";
                options.Notes["onnx.output"] = $"'{onnxModel.Info.OutputTensorName}' {OnnxImageClassifierInfo.FormatShape(onnxModel.Info.OutputShape)} ({onnxModel.Info.Scores.ToString().ToLowerInvariant()})";
                options.Notes["onnx.normalization"] = c.NormalizationFolded ? "folded into the graph"
                    : $"mean {string.Join(",", c.Mean.Select(v => v.ToString("R", inv)))} std {string.Join(",", c.Std.Select(v => v.ToString("R", inv)))}";
                foreach (var (key, source) in onnxModel.Info.Sources) options.Notes[$"onnx.{key}.from"] = source;
            }
            if (corrupted is not null) options.Corruptions = FolderCells(corrupted, settings);
            else if (settings.GenerateCorruptions)
            {
                options.GeneratedCorruptions = settings.Corruptions ?? CorruptionNames.Benchmark;
                options.GeneratedSeverities = settings.Severities;
                options.CorruptionParameters = settings.CorruptionParameters;
            }
            var perturbationFiles = new List<PerturbationSequences>();
            if (settings.PerturbedFolder is not null) options.PerturbationSets = FolderSequences(settings, test, perturbationFiles);
            else if (settings.GeneratePerturbations)
            {
                options.GeneratedPerturbations = settings.Perturbations ?? PerturbationNames.Benchmark.Select(k => new PerturbationSpec(k)).ToList();
                long sequences = Math.Min(settings.PerturbationSequences ?? long.MaxValue, test.Count);
                options.GeneratedPerturbationSequences = (int)Math.Min(int.MaxValue, sequences);
            }
            using var releaseFiles = new FileSet(perturbationFiles);
            if (settings.OutOfDistribution.Count > 0)
            {
                options.SyntheticOutOfDistribution = settings.OutOfDistribution.Distinct().ToList();
                options.SyntheticOutOfDistributionCount = (int)Math.Min(int.MaxValue, test.Count);
            }
            if (settings.Adversarial && settings.Onnx is not null)
                throw new ArgumentException($"ONNX model '{settings.ModelPath}': {OnnxImageClassifierTransformer.PgdReason}", nameof(settings));
            if (settings.Adversarial)
            {
                var target = AdversarialTarget(model, clean.Schema, settings.ModelPath);
                options.AdversarialModel = () => target;
                options.AdversarialMaxExamples = settings.AdversarialMaxExamples;
            }

            SafetyReport report;
            try { report = context.MulticlassClassification.EvaluateSafety(model, clean, options); }
            catch (ClassMismatchException e) { throw new ClassMismatchException($"Model '{Path.GetFullPath(settings.ModelPath)}': {e.Message}"); }
            catch (ArgumentException e) when (e.ParamName == nameof(SafetyEvaluationOptions.Baseline))
            {
                throw new ArgumentException($"Baseline report '{Path.GetFullPath(settings.BaselineReportPath!)}': {ExitCodes.OneLine(e)}", nameof(settings), e);
            }
            var files = settings.OutputFolder is null ? [] : WriteReport(report, settings.OutputFolder);
            return new ModelEvaluationResult(report, files);
        }
        finally
        {
            foreach (var part in ChainSteps.Flatten(model)) (part as IDisposable)?.Dispose();
            if (!ReferenceEquals(model, loaded)) foreach (var part in ChainSteps.Flatten(loaded)) (part as IDisposable)?.Dispose();
        }
    }

    /// <summary>Writes the report's files (see <see cref="SafetyReportFiles.Write"/>).</summary>
    public static IReadOnlyList<string> WriteReport(SafetyReport report, string folder) => SafetyReportFiles.Write(report, folder);

    private static IEnumerable<CorruptedSubset> FolderCells(CifarCorruptedSet set, ModelEvaluationSettings settings)
    {
        var names = (settings.Corruptions?.Select(CorruptionNames.ToName) ?? set.Corruptions).ToList();
        foreach (var name in names)
            if (!set.Contains(name))
                throw new ArgumentException($"Corrupted folder '{set.Folder}' has no {name}.npy (present: {string.Join(", ", set.Corruptions)}).", nameof(settings));
        CheckFolderMatchesTest(set, names, settings);
        return Stream(set, names, settings);
    }

    // A CIFAR-C folder holds the test set's own images under corruption: its labels must be the test labels, row for row,
    // over the rows scored (after Limit), or the corruption errors would be measured on other images than the clean
    // error. A folder made from the first M test images therefore matches with Limit = M. Found before any scoring.
    private static void CheckFolderMatchesTest(CifarCorruptedSet set, IReadOnlyList<string> names, ModelEvaluationSettings settings)
    {
        if (!set.HasLabels) return;   // cells without labels are refused when scored
        var test = ImageSourceSlice.Take(settings.TestImages, settings.Limit);
        var testLabels = new int[test.Count];
        for (int i = 0; i < testLabels.Length; i++) testLabels[i] = test.ReadLabel(i);
        string labelsPath = Path.Combine(set.Folder, CifarCorruptedSet.LabelsFileName);
        string testName = $"the test set '{settings.DatasetName ?? "test images"}' ({settings.TestImages.Count} images{(settings.Limit is { } l ? $", limit {l}" : "")})";
        var checkedSizes = new HashSet<long>();
        foreach (var name in names)
        {
            using var file = set.OpenCorruption(name);
            long perSeverity = file.ImagesPerSeverity;
            if (!checkedSizes.Add(perSeverity)) continue;   // one labels file: the same block size gives the same labels
            long scored = settings.Limit is { } limit ? Math.Min(limit, perSeverity) : perSeverity;
            if (scored != testLabels.Length)
                throw new InvalidInputDataException(
                    $"Corrupted folder '{set.Folder}' does not match {testName}: '{file.Path}' holds {perSeverity} images per severity (labels '{labelsPath}'), so {scored} corrupted rows would be scored against {testLabels.Length} clean ones; " +
                    "make the folder from the same test images (one made from the first M test images matches with a limit of M).", labelsPath);
            foreach (int severity in settings.Severities.Distinct())
            {
                var cell = file.Severity(severity);
                for (int i = 0; i < testLabels.Length; i++)
                {
                    int label = cell.ReadLabel(i);
                    if (label == testLabels[i]) continue;
                    throw new InvalidInputDataException(
                        $"Corrupted folder '{set.Folder}' does not match {testName}: labels file '{labelsPath}' gives row {i} of severity {severity} label {label}{ClassName(test, label)} where the test set has {testLabels[i]}{ClassName(test, testLabels[i])}; " +
                        "the folder was made from other test images or in another order.", labelsPath);
                }
            }
        }
    }

    private sealed class FileSet(List<PerturbationSequences> files) : IDisposable
    {
        public void Dispose() { foreach (var f in files) f.Dispose(); }
    }

    // A CIFAR-10-P folder: every perturbation file (or the ones asked for), the first sequences as the limits allow. Its
    // optional labels.npy must give one label per sequence and, over the sequences scored, the test set's labels.
    private static IList<PerturbationSet> FolderSequences(ModelEvaluationSettings settings, IImageSource test, List<PerturbationSequences> opened)
    {
        string folder = Path.GetFullPath(settings.PerturbedFolder!);
        var present = PerturbationSequences.ListFolder(folder);
        var names = settings.Perturbations?.Select(s => s.Name).ToList() ?? present.ToList();
        if (names.Count == 0) throw new InvalidInputDataException($"Perturbed folder '{folder}' holds no <perturbation>.npy file.", folder);
        foreach (var name in names)
            if (!present.Contains(name))
                throw new InvalidInputDataException($"Perturbed folder '{folder}' has no {name}.npy (present: {string.Join(", ", present)}).", folder);
        int[]? labels = null;
        string labelsPath = Path.Combine(folder, CifarCorruptedSet.LabelsFileName);
        if (File.Exists(labelsPath))
        {
            using var file = NpyFile.Open(labelsPath);
            if (file.Shape.Count != 1) throw new InvalidInputDataException($"Labels file '{labelsPath}' has shape {NpyHeader.ShapeRepr(file.Shape)}; expected one label per sequence (N,).", labelsPath);
            labels = file.ReadLabels();
        }
        var sets = new List<PerturbationSet>();
        foreach (var name in names)
        {
            var file = PerturbationSequences.Open(Path.Combine(folder, name + ".npy"));
            opened.Add(file);
            if (file.Width != test.Width || file.Height != test.Height || file.Channels != test.Channels)
                throw new InvalidInputDataException($"Perturbation file '{file.Path}' holds {file.Width}x{file.Height}x{file.Channels} frames; the test images are {test.Width}x{test.Height}x{test.Channels}.", file.Path);
            long sequences = Math.Min(settings.PerturbationSequences ?? settings.Limit ?? long.MaxValue, file.Count);
            if (labels is not null)
            {
                if (labels.Length != file.Count)
                    throw new InvalidInputDataException($"Labels file '{labelsPath}' holds {labels.Length} labels; '{file.Path}' holds {file.Count} sequences.", labelsPath);
                if (sequences > test.Count)
                    throw new InvalidInputDataException($"Perturbed folder '{folder}' scores {sequences} sequences but the test set has {test.Count} images; its labels cannot be the test set's (give --limit or --perturbation-sequences).", labelsPath);
                for (int i = 0; i < sequences; i++)
                    if (labels[i] != test.ReadLabel(i))
                        throw new InvalidInputDataException(
                            $"Perturbed folder '{folder}' does not match the test set: labels file '{labelsPath}' gives sequence {i} label {labels[i]}{ClassName(test, labels[i])} where the test set has {test.ReadLabel(i)}{ClassName(test, test.ReadLabel(i))}; the sequences were made from other images or in another order.", labelsPath);
            }
            var set = PerturbationSet.FromFile(file);
            sets.Add(set with { Frames = ImageSourceSlice.Take(set.Frames, sequences * file.FrameCount) });
        }
        return sets;
    }

    private static string ClassName(IImageSource source, int label)
        => source.ClassNames is { } names && label >= 0 && label < names.Count ? $" ({names[label]})" : "";

    // Yields the cells one corruption file at a time and releases each file's mapping once its severities are scored,
    // so scoring a full CIFAR-10-C layout keeps one 150 MB file mapped at a time.
    private static IEnumerable<CorruptedSubset> Stream(CifarCorruptedSet set, List<string> names, ModelEvaluationSettings settings)
    {
        foreach (var name in names)
        {
            foreach (int severity in settings.Severities)
                yield return new CorruptedSubset(name, severity, ImageSourceSlice.Take(set.Get(name, severity), settings.Limit));
            set.Release(name);
        }
    }

    /// <summary>The TorchSharp classifier and normalization of a PixMix model, for the PGD attack (the images at the chain's entry must be its input).</summary>
    internal static PgdTarget AdversarialTarget(ITransformer model, DataViewSchema cleanSchema, string path)
    {
        var parts = ChainSteps.Flatten(model);
        var classifier = parts.OfType<ImageClassificationTransformer>().LastOrDefault()
            ?? throw new ArgumentException($"Model '{path}' has no TorchSharp image classifier; the PGD attack needs one.");
        var pixmix = parts.OfType<PixMixTransformer>().LastOrDefault()
            ?? throw new ArgumentException($"Model '{path}' has no PixMix transform giving the classifier's normalization; the PGD attack needs one.");
        var recipe = pixmix.Recipe;
        var entry = EvaluationChain.Analyze(model, cleanSchema, ClassifierTraining.ImageColumnName, SafetyEvaluator.EvaluationLabelColumnName);
        if ((entry.Width != 0 && (recipe.Size != entry.Width || recipe.Size != entry.Height)) || recipe.TrainTransform == Imaging.Mixing.TrainTransform.ImageNetResizedCropFlip)
            throw new ArgumentException($"The PGD attack perturbs the classifier's input pixels directly, so the images at {entry.Describe()} must be the model's input size ({recipe.Size}x{recipe.Size}) with no evaluation crop.");
        return new PgdTarget(classifier.Network, recipe.Mean, recipe.Std);
    }

    // A chain that maps label text to keys itself maps a class it does not know to "missing", which every evaluator
    // skips: the folder's classes are compared with the model's by name before anything is scored.
    private static void CheckClassNames(ITransformer model, IDataView clean, IImageSource test, ModelEvaluationSettings settings)
    {
        if (test.ClassNames is not { Count: > 0 } names) return;
        var defaults = new SafetyEvaluationOptions();
        var output = model.GetOutputSchema(clean.Schema);
        if (output.GetColumnOrNull(defaults.ScoreColumnName) is not { Type: VectorDataViewType { IsKnownSize: true } scoreType } score
            || SafetyEvaluator.ModelClassNames(output, score, scoreType.Size, defaults.PredictedLabelColumnName) is not { } modelNames) return;
        try { ClassMatching.Match(modelNames, scoreType.Size, names, names.Count, $"the test data '{settings.DatasetName ?? "test images"}'"); }
        catch (ClassMismatchException e) { throw new ClassMismatchException($"Model '{Path.GetFullPath(settings.ModelPath)}': {e.Message}"); }
    }

    // Test images of another size or channel count than the model reads are bad input, named before any scoring.
    private static void CheckImageShape(DataViewSchema inputSchema, IImageSource test, ModelEvaluationSettings settings)
    {
        if (inputSchema.GetColumnOrNull(ClassifierTraining.ImageColumnName) is not { Type: VectorDataViewType { Dimensions.Length: 3 } type }) return;
        int h = type.Dimensions[0], w = type.Dimensions[1], c = type.Dimensions[2];
        if (h == test.Height && w == test.Width && c == test.Channels) return;
        throw new InvalidInputDataException(
            $"Image-shape mismatch: model '{Path.GetFullPath(settings.ModelPath)}' reads {w}x{h} images with {c} channel(s) but the test data '{settings.DatasetName ?? "test images"}' has {test.Width}x{test.Height} with {test.Channels}; " +
            "open the data as the model was trained (--grey keeps idx images 28x28 grey, the default pads them to 32x32 RGB; --size sets the size of folder images).",
            settings.ModelPath);
    }
}
