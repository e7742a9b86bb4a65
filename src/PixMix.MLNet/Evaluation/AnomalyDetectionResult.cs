namespace PixMix.MLNet.Evaluation;

/// <summary>Anomaly detection measures against one out-of-distribution set.</summary>
public sealed record AnomalyDetectionResult
{
    /// <summary>The out-of-distribution set's name.</summary>
    public string OodSet { get; init; } = "";
    /// <summary>Number of out-of-distribution examples.</summary>
    public int Examples { get; init; }
    /// <summary>Area under the ROC curve.</summary>
    public double Auroc { get; init; }
    /// <summary>Area under the precision-recall curve.</summary>
    public double Aupr { get; init; }
    /// <summary>False positive rate at the report's recall level (FPR95).</summary>
    public double FprAtRecall { get; init; }
    /// <summary>Mean maximum softmax probability on the out-of-distribution examples (compare with the clean set's mean confidence: above it, the AUROC is below 50%).</summary>
    public double MeanConfidence { get; init; }
    /// <summary>The class predicted most often for the out-of-distribution examples.</summary>
    public int MostPredictedClass { get; init; }
    /// <summary>The share of the out-of-distribution examples predicted as <see cref="MostPredictedClass"/>.</summary>
    public double MostPredictedShare { get; init; }
}
