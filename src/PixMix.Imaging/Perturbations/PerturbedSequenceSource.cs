using PixMix.Imaging.Sources;

namespace PixMix.Imaging.Perturbations;

/// <summary>
/// The frames of another source's images under one perturbation, computed when read: image <c>s F + f</c> is frame f of
/// sequence s (F frames per sequence), the flattened (N, F, H, W, C) layout of a perturbation file. The bytes equal
/// those <see cref="PerturbationSets.Write"/> stores for the same seed. Each thread keeps the last sequence it made, so
/// reading frames in order makes every sequence once. Thread-safe; no labels (the flip rate needs none).
/// </summary>
public sealed class PerturbedSequenceSource : IImageSource, IDisposable
{
    private readonly IImageSource _inner;
    private readonly long _seed;
    private readonly int _frameBytes;
    private readonly ThreadLocal<Cache> _cache;

    /// <summary><paramref name="inner"/>'s images under <paramref name="spec"/>, drawn with <paramref name="seed"/>.</summary>
    public PerturbedSequenceSource(IImageSource inner, PerturbationSpec spec, long seed)
    {
        ArgumentNullException.ThrowIfNull(inner);
        PerturbationNames.CheckLevel(spec.Kind, spec.Level);
        PerturbationSets.CheckSource(inner);
        _inner = inner;
        _seed = seed;
        Spec = spec;
        FramesPerSequence = spec.FrameCount;
        _frameBytes = checked(inner.Width * inner.Height * inner.Channels);
        _cache = new ThreadLocal<Cache>(() => new Cache(new ImageU8(inner.Width, inner.Height, inner.Channels), new byte[checked(_frameBytes * FramesPerSequence)]));
    }

    /// <summary>The perturbation.</summary>
    public PerturbationSpec Spec { get; }
    /// <summary>Frames per sequence.</summary>
    public int FramesPerSequence { get; }
    /// <summary>Number of sequences (the inner source's images).</summary>
    public long Sequences => _inner.Count;
    /// <inheritdoc />
    public long Count => _inner.Count * FramesPerSequence;
    /// <inheritdoc />
    public int Width => _inner.Width;
    /// <inheritdoc />
    public int Height => _inner.Height;
    /// <inheritdoc />
    public int Channels => _inner.Channels;
    /// <inheritdoc />
    public bool HasLabels => false;
    /// <inheritdoc />
    public IReadOnlyList<string>? ClassNames => null;

    /// <inheritdoc />
    public void ReadImage(long index, Span<byte> destination)
    {
        if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The perturbed source holds {Count} frames.");
        long sequence = index / FramesPerSequence;
        int frame = (int)(index % FramesPerSequence);
        var cache = _cache.Value!;
        if (cache.Sequence != sequence)
        {
            cache.Sequence = -1;
            _inner.ReadImage(sequence, cache.Image.Span);
            PerturbationSets.Generate(Spec, cache.Image, sequence, _seed, cache.Frames);
            cache.Sequence = sequence;
        }
        cache.Frames.AsSpan(frame * _frameBytes, _frameBytes).CopyTo(destination);
    }

    /// <inheritdoc />
    public int ReadLabel(long index) => throw new InvalidOperationException("Perturbation frames carry no labels.");

    /// <summary>Releases the per-thread caches.</summary>
    public void Dispose() => _cache.Dispose();

    private sealed class Cache(ImageU8 image, byte[] frames)
    {
        public long Sequence = -1;
        public ImageU8 Image { get; } = image;
        public byte[] Frames { get; } = frames;
    }
}
