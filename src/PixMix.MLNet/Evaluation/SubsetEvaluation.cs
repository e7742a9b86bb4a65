namespace PixMix.MLNet.Evaluation;

/// <summary>Error and calibration of the classifier on one labelled image set.</summary>
public sealed record SubsetEvaluation
{
    /// <summary>Number of labelled examples scored.</summary>
    public int Examples { get; init; }
    /// <summary>Top-1 error.</summary>
    public double Error { get; init; }
    /// <summary>RMS calibration error (adaptive bins).</summary>
    public double RmsCalibrationError { get; init; }
    /// <summary>Expected calibration error (equal-width bins).</summary>
    public double ExpectedCalibrationError { get; init; }
    /// <summary>Mean confidence (maximum softmax probability).</summary>
    public double MeanConfidence { get; init; }
}
