namespace PixMix.MLNet.Evaluation;

/// <summary>The results of one corruption across its severities.</summary>
public sealed record CorruptionResult
{
    /// <summary>The corruption's name.</summary>
    public string Corruption { get; init; } = "";
    /// <summary>Per severity, in increasing order.</summary>
    public IReadOnlyList<SeverityResult> Severities { get; init; } = [];
    /// <summary>Error averaged over the severities.</summary>
    public double MeanError { get; init; }
    /// <summary>The corruption error normalized by the baseline (percent), when the mCE was requested and the baseline knows this corruption.</summary>
    public double? CorruptionError { get; init; }
    /// <summary>The relative corruption error (percent), when requested and defined.</summary>
    public double? RelativeCorruptionError { get; init; }
}
