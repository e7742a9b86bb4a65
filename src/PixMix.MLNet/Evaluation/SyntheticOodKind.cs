namespace PixMix.MLNet.Evaluation;

/// <summary>The synthetic out-of-distribution images of the anomaly detection benchmark.</summary>
public enum SyntheticOodKind
{
    /// <summary>Every value drawn from N(0.5, 0.25^2), clipped to [0, 1] (N(0, 0.5^2) clipped to [-1, 1] in the [-1, 1] input space).</summary>
    Gaussian,
    /// <summary>Every value 0 or 1 with probability one half (Rademacher noise in the [-1, 1] input space).</summary>
    Rademacher,
    /// <summary>Bernoulli(0.7) values blurred with a Gaussian of sigma 1.5 across height, width and channels, values below 0.75 set to 0 (bright shapes on black).</summary>
    Blobs,
}
