namespace PixMix.MLNet.Evaluation;

/// <summary>Error and calibration of the classifier on one labelled image set.</summary>
/// <param name="Examples">Number of labelled examples scored.</param>
/// <param name="Error">Top-1 error.</param>
/// <param name="RmsCalibrationError">RMS calibration error (adaptive bins).</param>
/// <param name="ExpectedCalibrationError">Expected calibration error (equal-width bins).</param>
/// <param name="MeanConfidence">Mean confidence (maximum softmax probability).</param>
public sealed record SubsetEvaluation(int Examples = 0, double Error = 0, double RmsCalibrationError = 0, double ExpectedCalibrationError = 0,
    double MeanConfidence = 0);
