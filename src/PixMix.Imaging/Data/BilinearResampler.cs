namespace PixMix.Imaging.Data;

/// <summary>
/// Antialiased bilinear resampling of 8-bit interleaved images, computed the way Pillow's <c>Image.resize(..., BILINEAR)</c>
/// computes it (and so torchvision's <c>Resize</c> on PIL images): a triangle filter whose support widens with the
/// downscale factor, 22-bit fixed-point coefficients, a horizontal pass rounded to 8 bits, then a vertical pass.
/// </summary>
internal static class BilinearResampler
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Resizes <paramref name="source"/> (sw x sh x c) into <paramref name="destination"/> (dw x dh x c).</summary>
    public static void Resize(ReadOnlySpan<byte> source, int sw, int sh, Span<byte> destination, int dw, int dh, int channels)
    {
        if (sw == dw && sh == dh)
        {
            source[..(sw * sh * channels)].CopyTo(destination);
            return;
        }
        if (sw == dw)
        {
            Vertical(source, sw, sh, destination, dh, channels);
            return;
        }
        if (sh == dh)
        {
            Horizontal(source, sw, sh, destination, dw, channels);
            return;
        }
        var temp = System.Buffers.ArrayPool<byte>.Shared.Rent(dw * sh * channels);
        try
        {
            Horizontal(source, sw, sh, temp, dw, channels);
            Vertical(temp, dw, sh, destination, dh, channels);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(temp);
        }
    }

    private static (int[] Bounds, int[] Coefficients, int KernelSize) Coefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = 1.0 * filterScale;
        int ksize = (int)Math.Ceiling(support) * 2 + 1;
        var bounds = new int[outSize * 2];
        var coefficients = new int[outSize * ksize];
        var k = new double[ksize];
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = (int)(center - support + 0.5);
            if (xmin < 0) xmin = 0;
            int xmax = (int)(center + support + 0.5);
            if (xmax > inSize) xmax = inSize;
            xmax -= xmin;
            double ww = 0;
            for (int x = 0; x < xmax; x++)
            {
                double t = Math.Abs((x + xmin - center + 0.5) * ss);
                double w = t < 1.0 ? 1.0 - t : 0.0;
                k[x] = w;
                ww += w;
            }
            for (int x = 0; x < ksize; x++)
            {
                double v = x < xmax && ww != 0.0 ? k[x] / ww : 0.0;
                coefficients[xx * ksize + x] = v < 0 ? (int)(-0.5 + v * (1 << PrecisionBits)) : (int)(0.5 + v * (1 << PrecisionBits));
            }
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
        }
        return (bounds, coefficients, ksize);
    }

    private static byte Clip(int v)
    {
        v >>= PrecisionBits;
        return (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
    }

    private static void Horizontal(ReadOnlySpan<byte> src, int sw, int sh, Span<byte> dst, int dw, int c)
    {
        var (bounds, kk, ksize) = Coefficients(sw, dw);
        for (int y = 0; y < sh; y++)
        {
            var inRow = src.Slice(y * sw * c, sw * c);
            var outRow = dst.Slice(y * dw * c, dw * c);
            for (int xx = 0; xx < dw; xx++)
            {
                int xmin = bounds[xx * 2], xmax = bounds[xx * 2 + 1];
                var k = kk.AsSpan(xx * ksize, ksize);
                for (int ch = 0; ch < c; ch++)
                {
                    int ss = 1 << (PrecisionBits - 1);
                    for (int x = 0; x < xmax; x++) ss += inRow[(x + xmin) * c + ch] * k[x];
                    outRow[xx * c + ch] = Clip(ss);
                }
            }
        }
    }

    private static void Vertical(ReadOnlySpan<byte> src, int w, int sh, Span<byte> dst, int dh, int c)
    {
        var (bounds, kk, ksize) = Coefficients(sh, dh);
        int row = w * c;
        for (int yy = 0; yy < dh; yy++)
        {
            int ymin = bounds[yy * 2], ymax = bounds[yy * 2 + 1];
            var k = kk.AsSpan(yy * ksize, ksize);
            var outRow = dst.Slice(yy * row, row);
            for (int i = 0; i < row; i++)
            {
                int ss = 1 << (PrecisionBits - 1);
                for (int y = 0; y < ymax; y++) ss += src[(y + ymin) * row + i] * k[y];
                outRow[i] = Clip(ss);
            }
        }
    }
}
