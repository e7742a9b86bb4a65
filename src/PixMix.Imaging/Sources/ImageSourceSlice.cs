namespace PixMix.Imaging.Sources;

/// <summary>
/// A contiguous range of another source's images (for example the first N, to run on a subset). Labels and class
/// names pass through; image <c>i</c> of the slice is image <c>Start + i</c> of the inner source.
/// </summary>
public sealed class ImageSourceSlice : IImageSource
{
    private readonly IImageSource _inner;

    /// <summary>Images <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> - 1 of <paramref name="inner"/>.</summary>
    public ImageSourceSlice(IImageSource inner, long start, long count)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (start < 0 || start > inner.Count) throw new ArgumentOutOfRangeException(nameof(start), start, $"start must be in 0..{inner.Count}.");
        if (count < 0 || count > inner.Count - start) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be in 0..{inner.Count - start}.");
        _inner = inner;
        Start = start;
        Count = count;
    }

    /// <summary>
    /// The first <paramref name="limit"/> images of <paramref name="source"/>, or the source itself when
    /// <paramref name="limit"/> is null or not smaller than its count.
    /// </summary>
    public static IImageSource Take(IImageSource source, long? limit)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (limit is not { } n || n >= source.Count) return source;
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(limit), n, "limit must be at least 1.");
        return new ImageSourceSlice(source, 0, n);
    }

    /// <summary>The first image's index in the inner source.</summary>
    public long Start { get; }
    /// <summary>The wrapped source.</summary>
    public IImageSource Inner => _inner;
    /// <inheritdoc />
    public long Count { get; }
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
    public void ReadImage(long index, Span<byte> destination) => _inner.ReadImage(Map(index), destination);

    /// <inheritdoc />
    public int ReadLabel(long index) => _inner.ReadLabel(Map(index));

    private long Map(long index)
    {
        if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in 0..{Count - 1}.");
        return Start + index;
    }
}
