namespace PixMix.MLNet.Evaluation;

/// <summary>Anomaly detection with the maximum softmax probability, against each out-of-distribution set.</summary>
public sealed record AnomalyDetectionReport
{
    /// <summary>Which examples were the positive class.</summary>
    public AnomalyPositiveClass PositiveClass { get; init; }
    /// <summary>The recall level of the FPR measure.</summary>
    public double RecallLevel { get; init; } = OutOfDistributionDetection.DefaultRecallLevel;
    /// <summary>Per out-of-distribution set.</summary>
    public IReadOnlyList<AnomalyDetectionResult> Sets { get; init; } = [];
    /// <summary>Mean AUROC over the sets.</summary>
    public double MeanAuroc { get; init; }
    /// <summary>Mean AUPR over the sets.</summary>
    public double MeanAupr { get; init; }
    /// <summary>Mean FPR at the recall level over the sets.</summary>
    public double MeanFprAtRecall { get; init; }
}
