namespace PixMix.MLNet.Evaluation;

/// <summary>Prediction consistency under perturbation sequences (CIFAR-10-P / ImageNet-P).</summary>
public sealed record ConsistencyReport
{
    /// <summary>Per perturbation type.</summary>
    public IReadOnlyList<FlipRateResult> Perturbations { get; init; } = [];
    /// <summary>Mean flip rate (mFR) over the perturbation types (the CIFAR measure).</summary>
    public double MeanFlipRate { get; init; }
    /// <summary>Mean of the baseline-normalized flip rates (percent), when every type has a baseline.</summary>
    public double? NormalizedMeanFlipRate { get; init; }
}
