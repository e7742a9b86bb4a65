namespace PixMix.MLNet.Evaluation;

/// <summary>Which examples are the positive class of the anomaly detection measures.</summary>
public enum AnomalyPositiveClass
{
    /// <summary>The out-of-distribution examples, scored by the negated maximum softmax probability (the benchmark's convention).</summary>
    OutOfDistribution,
    /// <summary>The in-distribution examples, scored by the maximum softmax probability.</summary>
    InDistribution,
}
