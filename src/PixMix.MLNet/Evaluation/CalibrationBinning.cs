namespace PixMix.MLNet.Evaluation;

/// <summary>Which adaptive bins the RMS calibration error sums (see <see cref="CalibrationMetrics"/>).</summary>
public enum CalibrationBinning
{
    /// <summary>As the published reference: every bin but the last (most confident) one, still weighted by 1/N.</summary>
    Reference,
    /// <summary>Every bin, the last one included.</summary>
    AllBins,
}
