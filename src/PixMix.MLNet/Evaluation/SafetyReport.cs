namespace PixMix.MLNet.Evaluation;

/// <summary>
/// The safety metrics of one classifier (the measures of the PixMix paper): clean error and calibration, the
/// corruption table and its summaries, anomaly detection per out-of-distribution set, consistency under
/// perturbations and adversarial error. A plain record: serialize it with <see cref="SafetyReportJson"/>, render it
/// with <see cref="SafetyReportMarkdown"/> and chart it with <c>PixMix.MLNet.Charts.SafetyCharts</c>.
/// Rates are fractions in [0, 1]; mCE values are percentages (100 = AlexNet).
/// </summary>
public sealed record SafetyReport
{
    /// <summary>What was evaluated, and how.</summary>
    public ReportMetadata Metadata { get; init; } = new();
    /// <summary>Error and calibration on the clean test set.</summary>
    public SubsetEvaluation Clean { get; init; } = new();
    /// <summary>Per-class error and the confusion matrix of the clean test set, in the model's classes.</summary>
    public ClassReport? Classes { get; init; }
    /// <summary>Reliability diagram of the clean test set (equal-width confidence bins).</summary>
    public IReadOnlyList<ReliabilityBin> Reliability { get; init; } = [];
    /// <summary>Corruption robustness, when corrupted sets were given.</summary>
    public CorruptionReport? Corruptions { get; init; }
    /// <summary>Anomaly detection against out-of-distribution sets, when given.</summary>
    public AnomalyDetectionReport? AnomalyDetection { get; init; }
    /// <summary>Prediction consistency under perturbation sequences, when given.</summary>
    public ConsistencyReport? Consistency { get; init; }
    /// <summary>Error under the PGD attack, when a TorchSharp model was given.</summary>
    public AdversarialReport? Adversarial { get; init; }
    /// <summary>The measures the model cannot give, with the reason (for example the PGD attack of an ONNX model); null when none.</summary>
    public IReadOnlyList<NotEvaluatedMeasure>? NotEvaluated { get; init; }
}
