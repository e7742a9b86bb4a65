namespace PixMix.MLNet.Evaluation;

/// <summary>
/// What <see cref="SafetyEvaluationCatalogExtensions.EvaluateSafety"/> computes besides the clean error and
/// calibration, and the column names it reads. Every optional part is skipped when its input is absent.
/// </summary>
public sealed class SafetyEvaluationOptions
{
    /// <summary>The label column of the scored data: a key type whose count equals the number of classes. Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";
    /// <summary>The score column the model appends: a known-size float vector, one slot per class. Default "Score".</summary>
    public string ScoreColumnName { get; set; } = "Score";
    /// <summary>
    /// The image column of the clean data preferred as the chain's image entry when the chain has no resize (bytes or
    /// floats, H x W x C). Default "Image". With a resize, other images enter after the chain's last resize.
    /// </summary>
    public string ImageColumnName { get; set; } = "Image";
    /// <summary>The predicted-label column whose key values name the model's classes. Default "PredictedLabel".</summary>
    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";
    /// <summary>
    /// The model's class names, when its output does not carry them (the key values of PredictedLabel or the slot names
    /// of Score); null reads them from the output. The data's classes are matched to these by name.
    /// </summary>
    public IReadOnlyList<string>? ModelClassNames { get; set; }
    /// <summary>Whether the scores are logits to pass through a softmax (false: they are already probabilities, as ML.NET's multiclass trainers output).</summary>
    public bool ApplySoftmax { get; set; }
    /// <summary>Number of classes; by default the key count of the label column (or the score vector's size).</summary>
    public int? ClassCount { get; set; }

    /// <summary>Adaptive bin size of the RMS calibration error (100 in the benchmark).</summary>
    public int CalibrationBinSize { get; set; } = CalibrationMetrics.DefaultBinSize;
    /// <summary>Which adaptive bins the RMS calibration error sums (the reference's by default).</summary>
    public CalibrationBinning CalibrationBinning { get; set; } = CalibrationBinning.Reference;
    /// <summary>Number of equal-width bins of the ECE and the reliability diagram.</summary>
    public int ReliabilityBins { get; set; } = CalibrationMetrics.DefaultEqualWidthBins;

    /// <summary>The corruption benchmark's cells (for example CIFAR-10-C: 15 corruptions x 5 severities).</summary>
    public IEnumerable<CorruptedSubset>? Corruptions { get; set; }
    /// <summary>
    /// Corruptions to generate from the clean test images as the model's chain sees them (after its last resize), at
    /// <see cref="GeneratedSeverities"/>, with <see cref="Seed"/>; evaluated with <see cref="Corruptions"/> when both are given.
    /// </summary>
    public IReadOnlyList<PixMix.Imaging.Corruptions.CorruptionKind>? GeneratedCorruptions { get; set; }
    /// <summary>The severities of <see cref="GeneratedCorruptions"/> (default 1..5).</summary>
    public IReadOnlyList<int> GeneratedSeverities { get; set; } = [1, 2, 3, 4, 5];
    /// <summary>The parameter table of generated corruptions; null picks it from the image size.</summary>
    public PixMix.Imaging.Corruptions.CorruptionParameterSet? CorruptionParameters { get; set; }
    /// <summary>The seed of generated corruptions and synthetic out-of-distribution images.</summary>
    public long Seed { get; set; }
    /// <summary>Whether to compute ImageNet's mCE (normalized by <see cref="MceBaselineErrors"/>).</summary>
    public bool ComputeMce { get; set; }
    /// <summary>Whether to compute the relative mCE (needs the clean error).</summary>
    public bool ComputeRelativeMce { get; set; }
    /// <summary>Baseline errors per corruption for the mCE; null for AlexNet's (<see cref="AlexNetBaseline"/>).</summary>
    public IReadOnlyDictionary<string, double>? MceBaselineErrors { get; set; }
    /// <summary>Baseline clean error for the relative mCE; null for AlexNet's.</summary>
    public double? MceBaselineCleanError { get; set; }
    /// <summary>
    /// A baseline model's report on the same sets (for example one <see cref="SafetyReportJson.Load"/> read back): the
    /// corruption errors are then normalized by its errors (mCE, as ImageNet-C does with AlexNet's; the relative mCE too
    /// where each of its errors exceeds its clean error) and the flip rates by its flip rates (mFR, as ImageNet-P does),
    /// for every corruption and perturbation it measured (and got wrong at least once). Its numbers must come from the
    /// same test set, severities and sequences, or the evaluation stops saying which differ (an
    /// <see cref="ArgumentException"/> naming this option). Excludes <see cref="MceBaselineErrors"/> and
    /// <see cref="MceBaselineCleanError"/>.
    /// </summary>
    public SafetyReport? Baseline { get; set; }

    /// <summary>Out-of-distribution sets for anomaly detection (for example the built-in <see cref="SyntheticOodSource"/> sets).</summary>
    public IList<OutOfDistributionSet> OutOfDistributionSets { get; set; } = [];
    /// <summary>Synthetic out-of-distribution sets made at the size the model's chain takes its images (after its last resize).</summary>
    public IReadOnlyList<SyntheticOodKind>? SyntheticOutOfDistribution { get; set; }
    /// <summary>Images per synthetic set; null: as many as the clean test set.</summary>
    public int? SyntheticOutOfDistributionCount { get; set; }
    /// <summary>Which set is the positive class of the detection measures.</summary>
    public AnomalyPositiveClass AnomalyPositiveClass { get; set; } = AnomalyPositiveClass.OutOfDistribution;
    /// <summary>The recall level of the FPR measure.</summary>
    public double RecallLevel { get; set; } = OutOfDistributionDetection.DefaultRecallLevel;

    /// <summary>Perturbation sequences for the flip rate.</summary>
    public IList<PerturbationSet> PerturbationSets { get; set; } = [];
    /// <summary>
    /// Perturbation sequences to generate from the clean test images as the model's chain sees them (after its last
    /// resize), with <see cref="Seed"/>; evaluated after <see cref="PerturbationSets"/>.
    /// </summary>
    public IReadOnlyList<PixMix.Imaging.Perturbations.PerturbationSpec>? GeneratedPerturbations { get; set; }
    /// <summary>Sequences per generated perturbation (from the first clean images); null: one per clean image.</summary>
    public int? GeneratedPerturbationSequences { get; set; }

    /// <summary>
    /// Gives the TorchSharp classifier (and its normalization) to attack with PGD; null skips the attack. The images
    /// are read from the clean data's image column.
    /// </summary>
    public Func<PgdTarget>? AdversarialModel { get; set; }
    /// <summary>Options of the PGD attack (the paper's by default).</summary>
    public PgdOptions Pgd { get; set; } = new();
    /// <summary>Attack at most this many clean images (the first ones); null attacks all.</summary>
    public int? AdversarialMaxExamples { get; set; }

    /// <summary>The model's name, recorded in the report.</summary>
    public string? ModelName { get; set; }
    /// <summary>The dataset's name, recorded in the report.</summary>
    public string? DatasetName { get; set; }
    /// <summary>Free-form notes recorded in the report.</summary>
    public IDictionary<string, string>? Notes { get; set; }
    /// <summary>Receives a line as each set is scored.</summary>
    public IProgress<string>? Progress { get; set; }

    internal void Validate()
    {
        Require(LabelColumnName, nameof(LabelColumnName));
        Require(ScoreColumnName, nameof(ScoreColumnName));
        Require(ImageColumnName, nameof(ImageColumnName));
        Require(PredictedLabelColumnName, nameof(PredictedLabelColumnName));
        ArgumentNullException.ThrowIfNull(GeneratedSeverities, nameof(GeneratedSeverities));
        foreach (int s in GeneratedSeverities)
            if (s is < 1 or > 5) throw new ArgumentOutOfRangeException(nameof(GeneratedSeverities), s, "Severities are 1 to 5.");
        if (SyntheticOutOfDistributionCount is < 1) throw new ArgumentOutOfRangeException(nameof(SyntheticOutOfDistributionCount), SyntheticOutOfDistributionCount, "SyntheticOutOfDistributionCount must be >= 1.");
        if (CalibrationBinSize < 1) throw new ArgumentOutOfRangeException(nameof(CalibrationBinSize), CalibrationBinSize, "CalibrationBinSize must be >= 1.");
        if (ReliabilityBins < 1) throw new ArgumentOutOfRangeException(nameof(ReliabilityBins), ReliabilityBins, "ReliabilityBins must be >= 1.");
        if (ClassCount is < 1) throw new ArgumentOutOfRangeException(nameof(ClassCount), ClassCount, "ClassCount must be >= 1.");
        if (!(RecallLevel > 0 && RecallLevel <= 1)) throw new ArgumentOutOfRangeException(nameof(RecallLevel), RecallLevel, "RecallLevel must be in (0, 1].");
        if (GeneratedPerturbationSequences is < 1) throw new ArgumentOutOfRangeException(nameof(GeneratedPerturbationSequences), GeneratedPerturbationSequences, "GeneratedPerturbationSequences must be >= 1.");
        if (AdversarialMaxExamples is < 1) throw new ArgumentOutOfRangeException(nameof(AdversarialMaxExamples), AdversarialMaxExamples, "AdversarialMaxExamples must be >= 1.");
        if (Baseline is not null && (MceBaselineErrors is not null || MceBaselineCleanError is not null))
            throw new ArgumentException("Give either a Baseline report or MceBaselineErrors/MceBaselineCleanError, not both.", nameof(Baseline));
        ArgumentNullException.ThrowIfNull(Pgd, nameof(Pgd));
        Pgd.Validate();
    }

    private static void Require(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"SafetyEvaluationOptions.{name} must name a column.", name);
    }
}
