namespace PixMix.MLNet.Evaluation;

/// <summary>The rank distances of ImageNet-P / CIFAR-10-P between the class rankings of two frames.</summary>
public enum RankDistance
{
    /// <summary>
    /// Top-5 distance: over the first five ranks j = 0..4 of the first frame, |j - min(r_j - 1, 5)| with r_j the second
    /// frame's rank (1-based) of the first frame's j-th class. Needs more than five classes.
    /// </summary>
    Top5,
    /// <summary>Zipf distance: over all ranks j, |1 / (j + 1) - 1 / r_j| / (j + 1).</summary>
    Zipf,
}
