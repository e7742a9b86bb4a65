namespace PixMix.Imaging.Sources;

/// <summary>
/// Presents another source's images padded with a zero border of <see cref="Padding"/> pixels on every side and,
/// for grey sources, with the grey value replicated to R, G and B. With the default padding of 2, Fashion-MNIST's
/// 28x28 grey images become 32x32 RGB, the CIFAR input size: padding keeps every original pixel unchanged (no
/// resampling blur), and the black border matches the images' own black background. Labels and class names pass through.
/// </summary>
public sealed class PaddedRgbImageSource : IImageSource
{
    private readonly IImageSource _inner;
    private readonly int _innerBytes;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public PaddedRgbImageSource(IImageSource inner, int padding = 2)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (inner.Channels is not (1 or 3)) throw new ArgumentException($"inner source has {inner.Channels} channels; 1 or 3 expected.", nameof(inner));
        _inner = inner;
        Padding = padding;
        Width = checked(inner.Width + 2 * padding);
        Height = checked(inner.Height + 2 * padding);
        _innerBytes = checked(inner.Width * inner.Height * inner.Channels);
    }

    /// <summary>Border width in pixels.</summary>
    public int Padding { get; }
    /// <summary>The wrapped source.</summary>
    public IImageSource Inner => _inner;
    /// <inheritdoc />
    public long Count => _inner.Count;
    /// <inheritdoc />
    public int Width { get; }
    /// <inheritdoc />
    public int Height { get; }
    /// <inheritdoc />
    public int Channels => 3;
    /// <inheritdoc />
    public bool HasLabels => _inner.HasLabels;
    /// <inheritdoc />
    public IReadOnlyList<string>? ClassNames => _inner.ClassNames;

    /// <inheritdoc />
    public void ReadImage(long index, Span<byte> destination)
    {
        int length = Width * Height * 3;
        if (destination.Length < length) throw new ArgumentException($"destination holds {destination.Length} bytes; an image needs {length}.", nameof(destination));
        destination = destination[..length];
        byte[]? rented = null;
        Span<byte> src = _innerBytes <= 4096 ? stackalloc byte[_innerBytes] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(_innerBytes)).AsSpan(0, _innerBytes);
        try
        {
            _inner.ReadImage(index, src);
            destination.Clear();
            int w = _inner.Width, c = _inner.Channels, rowOut = Width * 3;
            for (int y = 0; y < _inner.Height; y++)
            {
                var srcRow = src.Slice(y * w * c, w * c);
                var dstRow = destination.Slice((y + Padding) * rowOut + Padding * 3, w * 3);
                if (c == 3)
                {
                    srcRow.CopyTo(dstRow);
                }
                else
                {
                    for (int x = 0, j = 0; x < w; x++, j += 3)
                    {
                        byte v = srcRow[x];
                        dstRow[j] = v;
                        dstRow[j + 1] = v;
                        dstRow[j + 2] = v;
                    }
                }
            }
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <inheritdoc />
    public int ReadLabel(long index) => _inner.ReadLabel(index);
}
