namespace PixMix.MLNet.Evaluation;

/// <summary>AUROC, AUPR and FPR at a recall level of one detection problem.</summary>
/// <param name="Auroc">Area under the ROC curve, in [0, 1].</param>
/// <param name="Aupr">Area under the precision-recall curve (average precision), in [0, 1].</param>
/// <param name="FprAtRecall">False positive rate at <paramref name="RecallLevel"/>, in [0, 1].</param>
/// <param name="RecallLevel">The recall level of <paramref name="FprAtRecall"/> (0.95 in the benchmark).</param>
/// <param name="Positives">Number of positive examples.</param>
/// <param name="Negatives">Number of negative examples.</param>
public sealed record AnomalyDetectionMeasures(double Auroc = 0, double Aupr = 0, double FprAtRecall = 0, double RecallLevel = 0, int Positives = 0,
    int Negatives = 0);
