namespace PixMix.MLNet.Evaluation;

/// <summary>
/// A TorchSharp classifier to attack: a module from normalized images (N, C, H, W) to logits (N, classes), and the
/// per-channel normalization it expects, applied inside the attack so that the perturbation lives in [0, 1] pixel space.
/// </summary>
/// <param name="Model">The classifier, returning logits.</param>
/// <param name="Mean">Per-channel mean subtracted from [0, 1] pixels (length C, or 1 for all channels).</param>
/// <param name="Std">Per-channel standard deviation the centred pixels are divided by (same length as <paramref name="Mean"/>).</param>
public sealed record PgdTarget(nn.Module<Tensor, Tensor> Model, float[] Mean, float[] Std)
{
    /// <summary>A target whose inputs are mapped to [-1, 1] (mean 0.5, std 0.5: the CIFAR recipe of PixMix).</summary>
    public static PgdTarget WithCifarNormalization(nn.Module<Tensor, Tensor> model) => new(model, [0.5f], [0.5f]);
}
