using PixMix.Imaging.Ops;

namespace PixMix.Imaging.Mixing;

/// <summary>
/// The PixMix method for one image, as in the paper:
/// <code>
/// mixed = tensor(augment(x)) w.p. 0.5, else tensor(x)
/// repeat U{0..k} times:
///     other = tensor(augment(x)) w.p. 0.5, else tensor(mixing picture)   // augments the ORIGINAL x
///     mixed = clip(add or multiply (mixed, other, beta), 0, 1)            // op chosen uniformly
/// </code>
/// The result is a CHW float image in [0, 1], or normalized by the overload that takes mean and std. Thread-safe: all scratch lives
/// in the <see cref="PixMixWorkspace"/> the caller passes (one per thread), so nothing is allocated per image.
/// </summary>
public sealed class PixMixAugmenter
{
    private readonly PixMixOp[] _ops;

    /// <summary>Creates an augmenter; <paramref name="parameters"/> are validated.</summary>
    public PixMixAugmenter(PixMixParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        _ops = [.. parameters.AllOps ? PixMixOpLists.All : PixMixOpLists.Base];
    }

    /// <summary>The hyper-parameters.</summary>
    public PixMixParameters Parameters { get; }

    /// <summary>The operations augment() draws from.</summary>
    public IReadOnlyList<PixMixOp> Operations => _ops;

    /// <summary>
    /// Mixes <paramref name="original"/> (already through the data set's train transform) with augmented copies of
    /// itself and with <paramref name="mixingPicture"/> (same shape) into <paramref name="output"/> (CHW, [0,1]).
    /// </summary>
    public void Augment(ImageU8 original, ImageU8 mixingPicture, ImageF32 output, ref PixMixRandom rng, PixMixWorkspace workspace, PixMixTrace? trace = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.Width != original.Width || output.Height != original.Height || output.Channels != original.Channels)
            throw new ArgumentException($"output is {output.Width}x{output.Height}x{output.Channels}, expected {original.Width}x{original.Height}x{original.Channels}.", nameof(output));
        Augment(original, mixingPicture, output.Span, default, default, ref rng, workspace, trace);
    }

    /// <summary>
    /// Mixes as <see cref="Augment(ImageU8, ImageU8, ImageF32, ref PixMixRandom, PixMixWorkspace, PixMixTrace?)"/> and
    /// writes the result normalized, <c>(x - mean[c]) / std[c]</c>, into <paramref name="output"/> (CHW). Empty
    /// <paramref name="mean"/> and <paramref name="std"/> leave the values in [0, 1].
    /// </summary>
    public void Augment(ImageU8 original, ImageU8 mixingPicture, Span<float> output, ReadOnlySpan<float> mean, ReadOnlySpan<float> std,
        ref PixMixRandom rng, PixMixWorkspace workspace, PixMixTrace? trace = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(workspace);
        ImageU8.RequireSameShape(original, mixingPicture, nameof(mixingPicture));
        if (output.Length != original.Length)
            throw new ArgumentException($"output has {output.Length} values, expected {original.Length} ({original.Channels}x{original.Height}x{original.Width}).", nameof(output));
        workspace.EnsureShape(original.Width, original.Height, original.Channels);
        var p = Parameters;
        // Mixing is element-wise, so it runs on the interleaved layout; the planar output is written once at the end.
        var mixed = workspace.Mixed;

        if (rng.NextDouble() < 0.5)
        {
            AugmentOnce(original, workspace.Augmented, ref rng, trace);
            PixelLayout.ToUnit(workspace.Augmented.Span, mixed);
        }
        else
        {
            PixelLayout.ToUnit(original.Span, mixed);
        }

        int rounds = rng.NextIntInclusive(0, p.K);
        trace?.OnRounds(rounds);
        for (int r = 0; r < rounds; r++)
        {
            bool augmentOriginal = rng.NextDouble() < 0.5;
            ReadOnlySpan<byte> other;
            if (augmentOriginal)
            {
                AugmentOnce(original, workspace.Augmented, ref rng, trace);
                other = workspace.Augmented.Span;
            }
            else
            {
                other = mixingPicture.Span;
            }
            bool add = rng.NextDouble() < 0.5;
            var (a, b) = MixingOps.SampleWeights(p.Beta, ref rng);
            trace?.OnMix(augmentOriginal, add, a, b);
            if (add) MixingOps.Add(mixed, other, mixed, a, b);
            else MixingOps.Multiply(mixed, other, mixed, a, b);
        }
        PixelLayout.ToPlanar(mixed, output, original.Channels, mean, std);
    }

    /// <summary>augment(x): one operation drawn uniformly from the list, at the configured severity.</summary>
    public void AugmentOnce(ImageU8 source, ImageU8 destination, ref PixMixRandom rng, PixMixTrace? trace = null)
    {
        var op = _ops[rng.NextInt(_ops.Length)];
        trace?.OnOperation(op);
        AugmentOps.Apply(op, source, destination, Parameters.Severity, ref rng);
    }
}
