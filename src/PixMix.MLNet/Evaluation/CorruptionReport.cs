namespace PixMix.MLNet.Evaluation;

/// <summary>Corruption robustness: the error table and its CIFAR and ImageNet summaries.</summary>
public sealed record CorruptionReport
{
    /// <summary>Per corruption, in the order first seen, its per-severity results.</summary>
    public IReadOnlyList<CorruptionResult> Results { get; init; } = [];
    /// <summary>The CIFAR measure: mean error over every (corruption, severity) cell.</summary>
    public double AverageError { get; init; }
    /// <summary>Mean RMS calibration error over every (corruption, severity) cell.</summary>
    public double AverageRmsCalibrationError { get; init; }
    /// <summary>ImageNet-C mCE (percent, AlexNet = 100) over <see cref="MceCorruptions"/>, when requested.</summary>
    public double? Mce { get; init; }
    /// <summary>Relative mCE (percent), when requested.</summary>
    public double? RelativeMce { get; init; }
    /// <summary>The corruptions the mCE averages over (those with a baseline error).</summary>
    public IReadOnlyList<string> MceCorruptions { get; init; } = [];
    /// <summary>Corruptions reported but left out of the mCE because the baseline has no error for them.</summary>
    public IReadOnlyList<string> ExcludedFromMce { get; init; } = [];
}
