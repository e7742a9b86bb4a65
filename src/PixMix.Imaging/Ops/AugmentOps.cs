namespace PixMix.Imaging.Ops;

// PLACEHOLDER until the operations land: identity copies so the sampler compiles.
/// <summary>The PixMix augmentation operations with PIL's semantics.</summary>
public static class AugmentOps
{
    /// <summary>Applies <paramref name="op"/> with its parameter sampled from <paramref name="level"/> (the reference's severity: level ~ U(0.1, severity)).</summary>
    public static void Apply(PixMixOp op, ImageU8 src, ImageU8 dst, double level, ref PixMixRandom rng)
    {
        _ = op; _ = level; _ = rng.NextDouble();
        src.CopyTo(dst);
    }
}
