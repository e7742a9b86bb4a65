namespace PixMix.MLNet.Evaluation;

/// <summary>Prediction consistency under perturbation sequences (CIFAR-10-P / ImageNet-P).</summary>
public sealed record ConsistencyReport
{
    /// <summary>Per perturbation type.</summary>
    public IReadOnlyList<FlipRateResult> Perturbations { get; init; } = [];
    /// <summary>
    /// Mean flip rate (the mean flip probability, mFP, of CIFAR-10-P) over the perturbation types at level 1; the noises'
    /// levels 2 and 3 are reported but not averaged.
    /// </summary>
    public double MeanFlipRate { get; init; }
    /// <summary>Mean top-5 distance over the same types, when defined.</summary>
    public double? MeanTop5Distance { get; init; }
    /// <summary>Mean Zipf distance over the same types.</summary>
    public double? MeanZipfDistance { get; init; }
    /// <summary>Mean of the baseline-normalized flip rates (percent), when every type has a baseline.</summary>
    public double? NormalizedMeanFlipRate { get; init; }
}
