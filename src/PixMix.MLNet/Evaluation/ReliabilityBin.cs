namespace PixMix.MLNet.Evaluation;

/// <summary>One equal-width confidence bin of a reliability diagram.</summary>
public sealed record ReliabilityBin
{
    /// <summary>Lower bound of the bin (exclusive, except 0 for the first bin).</summary>
    public double Lower { get; init; }
    /// <summary>Upper bound of the bin (inclusive).</summary>
    public double Upper { get; init; }
    /// <summary>Number of examples whose confidence falls in the bin.</summary>
    public int Count { get; init; }
    /// <summary>Mean confidence of those examples (0 when empty).</summary>
    public double MeanConfidence { get; init; }
    /// <summary>Fraction of those examples classified correctly (0 when empty).</summary>
    public double Accuracy { get; init; }
}
