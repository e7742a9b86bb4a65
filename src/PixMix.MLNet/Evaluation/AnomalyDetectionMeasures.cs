namespace PixMix.MLNet.Evaluation;

/// <summary>AUROC, AUPR and FPR at a recall level of one detection problem.</summary>
public sealed record AnomalyDetectionMeasures
{
    /// <summary>Area under the ROC curve, in [0, 1].</summary>
    public double Auroc { get; init; }
    /// <summary>Area under the precision-recall curve (average precision), in [0, 1].</summary>
    public double Aupr { get; init; }
    /// <summary>False positive rate at <see cref="RecallLevel"/>, in [0, 1].</summary>
    public double FprAtRecall { get; init; }
    /// <summary>The recall level of <see cref="FprAtRecall"/> (0.95 in the benchmark).</summary>
    public double RecallLevel { get; init; }
    /// <summary>Number of positive examples.</summary>
    public int Positives { get; init; }
    /// <summary>Number of negative examples.</summary>
    public int Negatives { get; init; }
}
