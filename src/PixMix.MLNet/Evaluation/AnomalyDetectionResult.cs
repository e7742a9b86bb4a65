namespace PixMix.MLNet.Evaluation;

/// <summary>Anomaly detection measures against one out-of-distribution set.</summary>
/// <param name="OodSet">The out-of-distribution set's name.</param>
/// <param name="Examples">Number of out-of-distribution examples.</param>
/// <param name="Auroc">Area under the ROC curve.</param>
/// <param name="Aupr">Area under the precision-recall curve.</param>
/// <param name="FprAtRecall">False positive rate at the report's recall level (FPR95).</param>
/// <param name="MeanConfidence">Mean maximum softmax probability on the out-of-distribution examples (compare with the clean set's mean confidence: above it, the AUROC is below 50%).</param>
/// <param name="MostPredictedClass">The class predicted most often for the out-of-distribution examples.</param>
/// <param name="MostPredictedShare">The share of the out-of-distribution examples predicted as <paramref name="MostPredictedClass"/>.</param>
public sealed record AnomalyDetectionResult(string OodSet = "", int Examples = 0, double Auroc = 0, double Aupr = 0, double FprAtRecall = 0,
    double MeanConfidence = 0, int MostPredictedClass = 0, double MostPredictedShare = 0);
