using System.Numerics;

namespace PixMix.Imaging;

/// <summary>
/// A float image stored planar, channel by channel (channels x height x width, "CHW"), the layout of PyTorch
/// tensors. Values are in [0, 1] until normalized.
/// </summary>
public sealed class ImageF32
{
    /// <summary>Creates a zeroed image.</summary>
    public ImageF32(int width, int height, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1, nameof(width));
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1, nameof(height));
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1, nameof(channels));
        Width = width; Height = height; Channels = channels;
        Data = new float[checked(width * height * channels)];
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>Number of planes.</summary>
    public int Channels { get; }
    /// <summary>The values, CHW.</summary>
    public float[] Data { get; }
    /// <summary>Channels * Height * Width.</summary>
    public int Length => Data.Length;
    /// <summary>The values, CHW.</summary>
    public Span<float> Span => Data;

    /// <summary>Whether <paramref name="other"/> has the same shape.</summary>
    public bool SameShape(ImageF32 other) => other.Width == Width && other.Height == Height && other.Channels == Channels;

    /// <summary>Converts HWC bytes to CHW floats in [0, 1] (x / 255), like torchvision's ToTensor.</summary>
    public void SetFrom(ImageU8 source)
    {
        if (source.Width != Width || source.Height != Height || source.Channels != Channels)
            throw new ArgumentException($"source is {source.Width}x{source.Height}x{source.Channels}, expected {Width}x{Height}x{Channels}.", nameof(source));
        ToTensor(source.Span, Data, Width * Height, Channels);
    }

    /// <summary>HWC bytes to CHW floats in [0,1].</summary>
    public static void ToTensor(ReadOnlySpan<byte> hwc, Span<float> chw, int pixels, int channels)
    {
        if (hwc.Length < pixels * channels || chw.Length < pixels * channels)
            throw new ArgumentException($"ToTensor needs {pixels * channels} values in and out.");
        PixelLayout.ToPlanar(hwc.Slice(0, pixels * channels), chw.Slice(0, pixels * channels), channels, default, default);
    }

    /// <summary>
    /// Converts back to 8-bit HWC: clamps to [0,1], scales by 255 and truncates like torchvision's ToPILImage
    /// (x.mul(255).byte()).
    /// </summary>
    public void CopyTo(ImageU8 destination)
    {
        if (destination.Width != Width || destination.Height != Height || destination.Channels != Channels)
            throw new ArgumentException($"destination is {destination.Width}x{destination.Height}x{destination.Channels}, expected {Width}x{Height}x{Channels}.", nameof(destination));
        int pixels = Width * Height;
        var dst = destination.Span;
        for (int i = 0, j = 0; i < pixels; i++, j += Channels)
            for (int c = 0; c < Channels; c++)
                dst[j + c] = (byte)(Math.Clamp(Data[c * pixels + i], 0f, 1f) * 255f);
    }

    /// <summary>In place: x = clamp(x, lo, hi), vectorized.</summary>
    public static void Clip(Span<float> x, float lo, float hi)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vlo = new Vector<float>(lo); var vhi = new Vector<float>(hi);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x.Slice(i));
                Vector.Min(Vector.Max(v, vlo), vhi).CopyTo(x.Slice(i));
            }
        }
        for (; i < x.Length; i++) x[i] = Math.Clamp(x[i], lo, hi);
    }
}
