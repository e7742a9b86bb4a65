namespace PixMix.MLNet.Evaluation;

/// <summary>Error and calibration on one (corruption, severity) cell.</summary>
/// <param name="Severity">The severity.</param>
/// <param name="Examples">Number of examples.</param>
/// <param name="Error">Top-1 error.</param>
/// <param name="RmsCalibrationError">RMS calibration error (adaptive bins).</param>
public sealed record SeverityResult(int Severity = 0, int Examples = 0, double Error = 0, double RmsCalibrationError = 0);
