using System.Buffers;

namespace PixMix.Imaging;

/// <summary>
/// The library's one resampler: Pillow's filters (<see cref="PillowFilter"/>: their support and weight function, the
/// support scaled up by the downscale factor so that shrinking antialiases) applied separably, rows then columns, in
/// two arithmetics:
/// <list type="bullet">
/// <item>Pillow's own, <c>Image.resize(size, filter)</c> byte for byte: per output pixel the filter's weights over its
/// footprint, normalized and turned into 22-bit fixed point; a horizontal pass rounded and clamped to 8 bits, then a
/// vertical pass (decoding folders, the evaluation resize, pixelate, and every whole-image resize of 8-bit pictures);</item>
/// <item>single precision, for a source region (the crop box of the train transforms), optionally mirrored, with a fixed
/// tap count per axis so that it vectorizes; the horizontal pass keeps floats and only the vertical pass rounds.</item>
/// </list>
/// Working memory is rented or kept per thread, so repeated calls do not allocate.
/// </summary>
public static partial class Resampler
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Resizes <paramref name="source"/> (sw x sh x channels) into <paramref name="destination"/> (dw x dh x channels).</summary>
    public static void Resize(ReadOnlySpan<byte> source, int sw, int sh, int channels, Span<byte> destination, int dw, int dh, PillowFilter filter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sw, 1); ArgumentOutOfRangeException.ThrowIfLessThan(sh, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dw, 1); ArgumentOutOfRangeException.ThrowIfLessThan(dh, 1);
        if (source.Length < sw * sh * channels) throw new ArgumentException($"The source holds {source.Length} bytes, not {sw}x{sh}x{channels}.", nameof(source));
        if (destination.Length < dw * dh * channels) throw new ArgumentException($"The destination holds {destination.Length} bytes, not {dw}x{dh}x{channels}.", nameof(destination));
        if (sw == dw && sh == dh) { source[..(sw * sh * channels)].CopyTo(destination); return; }
        if (sw == dw) { Vertical(source, sw, sh, channels, destination, dh, filter); return; }
        if (sh == dh) { Horizontal(source, sw, sh, channels, destination, dw, filter); return; }
        var temp = ArrayPool<byte>.Shared.Rent(dw * sh * channels);
        try
        {
            Horizontal(source, sw, sh, channels, temp, dw, filter);
            Vertical(temp, dw, sh, channels, destination, dh, filter);
        }
        finally { ArrayPool<byte>.Shared.Return(temp); }
    }

    /// <summary>Resizes <paramref name="src"/> into <paramref name="dst"/> (any sizes, same channel count), byte for byte as Pillow's BILINEAR resize.</summary>
    public static void Resize(ImageU8 src, ImageU8 dst) => Resize(src, dst, PillowFilter.Bilinear);

    /// <summary>Resizes <paramref name="src"/> into <paramref name="dst"/> (same channel count).</summary>
    public static void Resize(ImageU8 src, ImageU8 dst, PillowFilter filter)
    {
        if (src.Channels != dst.Channels) throw new ArgumentException($"dst has {dst.Channels} channels, src has {src.Channels}.", nameof(dst));
        Resize(src.Span, src.Width, src.Height, src.Channels, dst.Span, dst.Width, dst.Height, filter);
    }

    /// <summary>The filter's support: half the width of its footprint at scale 1, in input pixels.</summary>
    private static double Support(PillowFilter filter) => filter == PillowFilter.Box ? 0.5 : 1.0;

    /// <summary>The filter's weight at <paramref name="x"/> (in units of its scaled support).</summary>
    private static double Weight(PillowFilter filter, double x) => filter == PillowFilter.Box
        ? (x > -0.5 && x <= 0.5 ? 1.0 : 0.0)
        : (Math.Abs(x) < 1.0 ? 1.0 - Math.Abs(x) : 0.0);

    /// <summary>Kernel size; bounds (xmin, count) per output pixel; fixed-point weights, ksize per output pixel.</summary>
    private static int Coefficients(int inSize, int outSize, PillowFilter filter, Span<int> bounds, Span<int> coefficients)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = Support(filter) * filterScale;
        int ksize = KernelSize(inSize, outSize, filter);
        double ss = 1.0 / filterScale;
        Span<double> k = ksize <= 512 ? stackalloc double[ksize] : new double[ksize];
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale;
            int xmin = (int)(center - support + 0.5);
            if (xmin < 0) xmin = 0;
            int xmax = (int)(center + support + 0.5);
            if (xmax > inSize) xmax = inSize;
            xmax -= xmin;
            double ww = 0;
            for (int x = 0; x < xmax; x++)
            {
                double w = Weight(filter, (x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            for (int x = 0; x < ksize; x++)
            {
                double v = x < xmax ? (ww != 0 ? k[x] / ww : k[x]) : 0;
                coefficients[xx * ksize + x] = v < 0 ? (int)(-0.5 + v * (1 << PrecisionBits)) : (int)(0.5 + v * (1 << PrecisionBits));
            }
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
        }
        return ksize;
    }

    private static int KernelSize(int inSize, int outSize, PillowFilter filter)
        => (int)Math.Ceiling(Support(filter) * Math.Max((double)inSize / outSize, 1.0)) * 2 + 1;

    private static byte Clip(int v)
    {
        v >>= PrecisionBits;
        return (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
    }

    private static void Horizontal(ReadOnlySpan<byte> src, int sw, int sh, int c, Span<byte> dst, int dw, PillowFilter filter)
    {
        using var kernel = new AxisKernel(sw, dw, filter);
        for (int y = 0; y < sh; y++)
        {
            var inRow = src.Slice(y * sw * c, sw * c);
            var outRow = dst.Slice(y * dw * c, dw * c);
            for (int xx = 0; xx < dw; xx++)
            {
                int xmin = kernel.First(xx), xmax = kernel.Count(xx);
                var k = kernel.Weights(xx);
                for (int ch = 0; ch < c; ch++)
                {
                    int ss = 1 << (PrecisionBits - 1);
                    for (int x = 0; x < xmax; x++) ss += inRow[(x + xmin) * c + ch] * k[x];
                    outRow[xx * c + ch] = Clip(ss);
                }
            }
        }
    }

    private static void Vertical(ReadOnlySpan<byte> src, int w, int sh, int c, Span<byte> dst, int dh, PillowFilter filter)
    {
        using var kernel = new AxisKernel(sh, dh, filter);
        int row = w * c;
        for (int yy = 0; yy < dh; yy++)
        {
            int ymin = kernel.First(yy), ymax = kernel.Count(yy);
            var k = kernel.Weights(yy);
            var outRow = dst.Slice(yy * row, row);
            for (int i = 0; i < row; i++)
            {
                int ss = 1 << (PrecisionBits - 1);
                for (int y = 0; y < ymax; y++) ss += src[(y + ymin) * row + i] * k[y];
                outRow[i] = Clip(ss);
            }
        }
    }

    /// <summary>
    /// The fixed-point weights of one axis (<see cref="Coefficients"/>) in pooled arrays, returned on dispose: for each
    /// output pixel its first source pixel, its tap count and its weights.
    /// </summary>
    private readonly ref struct AxisKernel
    {
        private readonly int[] _bounds;
        private readonly int[] _weights;
        private readonly int _size;

        public AxisKernel(int inSize, int outSize, PillowFilter filter)
        {
            _size = KernelSize(inSize, outSize, filter);
            _bounds = ArrayPool<int>.Shared.Rent(outSize * 2);
            _weights = ArrayPool<int>.Shared.Rent(outSize * _size);
            Coefficients(inSize, outSize, filter, _bounds, _weights);
        }

        public int First(int output) => _bounds[output * 2];
        public int Count(int output) => _bounds[output * 2 + 1];
        public ReadOnlySpan<int> Weights(int output) => _weights.AsSpan(output * _size, _size);

        public void Dispose()
        {
            ArrayPool<int>.Shared.Return(_bounds);
            ArrayPool<int>.Shared.Return(_weights);
        }
    }
}
