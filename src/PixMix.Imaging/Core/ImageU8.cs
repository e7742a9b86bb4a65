namespace PixMix.Imaging;

/// <summary>
/// An 8-bit image stored row-major, interleaved (height x width x channels, "HWC"), the layout of PIL, numpy
/// and the CIFAR-C files. Channels is 1 (grey) or 3 (RGB). The buffer may be longer than the image (pooled).
/// </summary>
public sealed class ImageU8
{
    /// <summary>Creates a zeroed image.</summary>
    public ImageU8(int width, int height, int channels)
        : this(width, height, channels, new byte[checked(width * height * channels)]) { }

    /// <summary>Wraps an existing HWC buffer (not copied).</summary>
    public ImageU8(int width, int height, int channels, byte[] data)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1, nameof(width));
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1, nameof(height));
        if (channels != 1 && channels != 3)
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 (grey) or 3 (RGB).");
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length < width * height * channels)
            throw new ArgumentException($"data holds {data.Length} bytes; a {width}x{height}x{channels} image needs {width * height * channels}.", nameof(data));
        Width = width; Height = height; Channels = channels; Data = data;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>1 (grey) or 3 (RGB).</summary>
    public int Channels { get; }
    /// <summary>The underlying buffer; the image occupies its first <see cref="Length"/> bytes.</summary>
    public byte[] Data { get; }
    /// <summary>Width * Height * Channels.</summary>
    public int Length => Width * Height * Channels;
    /// <summary>The pixels, HWC.</summary>
    public Span<byte> Span => Data.AsSpan(0, Length);
    /// <summary>Row stride in bytes.</summary>
    public int Stride => Width * Channels;

    /// <summary>Whether <paramref name="other"/> has the same width, height and channels.</summary>
    public bool SameShape(ImageU8 other) => other.Width == Width && other.Height == Height && other.Channels == Channels;

    /// <summary>Copies the pixels into <paramref name="destination"/>, which must have the same shape.</summary>
    public void CopyTo(ImageU8 destination)
    {
        if (!SameShape(destination)) throw new ArgumentException($"destination is {destination.Width}x{destination.Height}x{destination.Channels}, expected {Width}x{Height}x{Channels}.", nameof(destination));
        Span.CopyTo(destination.Span);
    }

    /// <summary>A deep copy.</summary>
    public ImageU8 Clone()
    {
        var c = new ImageU8(Width, Height, Channels);
        Span.CopyTo(c.Span);
        return c;
    }

    /// <summary>The pixel value at (x, y, channel).</summary>
    public byte this[int x, int y, int c]
    {
        get => Data[(y * Width + x) * Channels + c];
        set => Data[(y * Width + x) * Channels + c] = value;
    }

    /// <summary>Throws unless <paramref name="a"/> and <paramref name="b"/> have the same shape.</summary>
    internal static void RequireSameShape(ImageU8 a, ImageU8 b, string nameB)
    {
        if (!a.SameShape(b))
            throw new ArgumentException($"{nameB} is {b.Width}x{b.Height}x{b.Channels}, expected {a.Width}x{a.Height}x{a.Channels}.", nameB);
    }
}
