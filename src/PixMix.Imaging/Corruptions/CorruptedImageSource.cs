using PixMix.Imaging.Sources;

namespace PixMix.Imaging.Corruptions;

/// <summary>
/// Another source's images under one corruption at one severity, computed when read (nothing is stored). The bytes
/// equal those <see cref="CorruptionSets.Write"/> stores for the same seed, so a benchmark can be evaluated without
/// writing it first. Thread-safe; labels and class names pass through.
/// </summary>
public sealed class CorruptedImageSource : IImageSource
{
    private readonly IImageSource _inner;
    private readonly long _seed;
    private readonly CorruptionParameterSet _set;
    private readonly ThreadLocal<(ImageU8 Source, ImageU8 Destination)> _scratch;

    /// <summary>
    /// <paramref name="inner"/> under <paramref name="kind"/> at <paramref name="severity"/> (1..5); <paramref name="set"/> null
    /// picks the parameter table from the image size.
    /// </summary>
    public CorruptedImageSource(IImageSource inner, CorruptionKind kind, int severity, long seed, CorruptionParameterSet? set = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "kind is not a known corruption.");
        if (severity < Corruptor.MinSeverity || severity > Corruptor.MaxSeverity)
            throw new ArgumentOutOfRangeException(nameof(severity), severity, $"severity must be in {Corruptor.MinSeverity}..{Corruptor.MaxSeverity}.");
        _inner = inner;
        _seed = seed;
        _set = set ?? CorruptionParameterSets.ForSize(inner.Width, inner.Height);
        Kind = kind;
        Severity = severity;
        _scratch = new ThreadLocal<(ImageU8, ImageU8)>(() => (new ImageU8(inner.Width, inner.Height, inner.Channels), new ImageU8(inner.Width, inner.Height, inner.Channels)));
    }

    /// <summary>The corruption.</summary>
    public CorruptionKind Kind { get; }
    /// <summary>The severity (1..5).</summary>
    public int Severity { get; }
    /// <inheritdoc />
    public long Count => _inner.Count;
    /// <inheritdoc />
    public int Width => _inner.Width;
    /// <inheritdoc />
    public int Height => _inner.Height;
    /// <inheritdoc />
    public int Channels => _inner.Channels;
    /// <inheritdoc />
    public bool HasLabels => _inner.HasLabels;
    /// <inheritdoc />
    public IReadOnlyList<string>? ClassNames => _inner.ClassNames;

    /// <inheritdoc />
    public void ReadImage(long index, Span<byte> destination)
    {
        var (source, corrupted) = _scratch.Value;
        _inner.ReadImage(index, source.Span);
        corrupted.Span.Clear();
        CorruptionSets.Apply(Kind, Severity, source, corrupted, index, _seed, _set);
        corrupted.Span.CopyTo(destination);
    }

    /// <inheritdoc />
    public int ReadLabel(long index) => _inner.ReadLabel(index);
}
