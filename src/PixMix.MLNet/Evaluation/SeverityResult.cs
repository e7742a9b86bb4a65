namespace PixMix.MLNet.Evaluation;

/// <summary>Error and calibration on one (corruption, severity) cell.</summary>
public sealed record SeverityResult
{
    /// <summary>The severity.</summary>
    public int Severity { get; init; }
    /// <summary>Number of examples.</summary>
    public int Examples { get; init; }
    /// <summary>Top-1 error.</summary>
    public double Error { get; init; }
    /// <summary>RMS calibration error (adaptive bins).</summary>
    public double RmsCalibrationError { get; init; }
}
