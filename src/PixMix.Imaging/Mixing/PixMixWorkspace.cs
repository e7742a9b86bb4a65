namespace PixMix.Imaging.Mixing;

/// <summary>Per-thread scratch for <see cref="PixMixAugmenter"/>; reused across images of the same shape.</summary>
public sealed class PixMixWorkspace
{
    private ImageU8? _augmented;
    private float[]? _mixed;

    /// <summary>Scratch for augment(x).</summary>
    public ImageU8 Augmented => _augmented ?? throw new InvalidOperationException("Workspace not sized.");
    /// <summary>The image being mixed, as floats in [0, 1] in the interleaved (HWC) layout.</summary>
    internal Span<float> Mixed => _mixed is null ? throw new InvalidOperationException("Workspace not sized.") : _mixed.AsSpan(0, _augmented!.Length);

    /// <summary>Resizes the scratch images when the shape changes (allocates only then).</summary>
    public void EnsureShape(int width, int height, int channels)
    {
        if (_augmented is null || _augmented.Width != width || _augmented.Height != height || _augmented.Channels != channels)
        {
            _augmented = new ImageU8(width, height, channels);
            _mixed = new float[_augmented.Length];
        }
    }
}
