namespace PixMix.Imaging.Transforms;

/// <summary>
/// Bilinear resizing with antialiasing when shrinking (a triangle filter whose support grows with the scale
/// factor, the way PIL's Image.resize(BILINEAR) and torchvision's Resize do). Separable: rows, then columns.
/// </summary>
public static class Resampler
{
    /// <summary>Resizes <paramref name="src"/> into <paramref name="dst"/> (any sizes, same channel count), byte for byte as Pillow's BILINEAR resize.</summary>
    public static void Resize(ImageU8 src, ImageU8 dst)
    {
        if (src.Channels != dst.Channels) throw new ArgumentException($"dst has {dst.Channels} channels, src has {src.Channels}.", nameof(dst));
        PixMix.Imaging.Data.BilinearResampler.Resize(src.Span, src.Width, src.Height, dst.Span, dst.Width, dst.Height, src.Channels);
    }

    /// <summary>Resizes the box (x0, y0, w, h) of <paramref name="src"/> into <paramref name="dst"/>.</summary>
    public static void Resize(ImageU8 src, double x0, double y0, double boxWidth, double boxHeight, ImageU8 dst)
    {
        if (src.Channels != dst.Channels) throw new ArgumentException($"dst has {dst.Channels} channels, src has {src.Channels}.", nameof(dst));
        if (!(boxWidth > 0 && boxHeight > 0)) throw new ArgumentOutOfRangeException(nameof(boxWidth), "the box must have a positive size.");
        int c = src.Channels;
        var (xs, xw, xn) = Weights(src.Width, x0, boxWidth, dst.Width);
        var (ys, yw, yn) = Weights(src.Height, y0, boxHeight, dst.Height);
        // Horizontal pass into float rows (src.Height x dst.Width x c), then vertical pass.
        var tmp = System.Buffers.ArrayPool<float>.Shared.Rent(src.Height * dst.Width * c);
        try
        {
            Run(src, dst, c, xs, xw, xn, ys, yw, yn, tmp);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(tmp);
            System.Buffers.ArrayPool<int>.Shared.Return(xs); System.Buffers.ArrayPool<int>.Shared.Return(ys);
            System.Buffers.ArrayPool<float>.Shared.Return(xw); System.Buffers.ArrayPool<float>.Shared.Return(yw);
        }
    }

    private static void Run(ImageU8 src, ImageU8 dst, int c, int[] xs, float[] xw, int xn, int[] ys, float[] yw, int yn, float[] tmp)
    {
        {
            var s = src.Span;
            for (int y = 0; y < src.Height; y++)
            {
                int rowIn = y * src.Width * c, rowOut = y * dst.Width * c;
                for (int x = 0; x < dst.Width; x++)
                {
                    int first = xs[x];
                    for (int ch = 0; ch < c; ch++)
                    {
                        float acc = 0;
                        for (int t = 0; t < xn; t++) acc += xw[x * xn + t] * s[rowIn + (first + t) * c + ch];
                        tmp[rowOut + x * c + ch] = acc;
                    }
                }
            }
            var d = dst.Span;
            int stride = dst.Width * c;
            for (int y = 0; y < dst.Height; y++)
            {
                int first = ys[y];
                for (int i = 0; i < stride; i++)
                {
                    float acc = 0;
                    for (int t = 0; t < yn; t++) acc += yw[y * yn + t] * tmp[(first + t) * stride + i];
                    d[y * stride + i] = (byte)Math.Clamp(MathF.Round(acc), 0f, 255f);
                }
            }
        }
    }

    /// <summary>For each output index: the first input index and normalized triangle-filter weights (fixed tap count), in pooled arrays the caller returns.</summary>
    private static (int[] First, float[] Weights, int Taps) Weights(int inSize, double offset, double boxSize, int outSize)
    {
        double scale = boxSize / outSize;
        double support = Math.Max(scale, 1.0);
        int taps = (int)Math.Ceiling(support) * 2 + 1;
        var first = System.Buffers.ArrayPool<int>.Shared.Rent(outSize);
        var w = System.Buffers.ArrayPool<float>.Shared.Rent(outSize * taps);
        for (int o = 0; o < outSize; o++)
        {
            double center = offset + (o + 0.5) * scale;
            int lo = Math.Max(0, (int)Math.Floor(center - support + 0.5));
            int hi = Math.Min(inSize, (int)Math.Floor(center + support + 0.5));
            if (hi - lo > taps) hi = lo + taps;
            if (lo > inSize - taps) lo = Math.Max(0, inSize - taps);
            first[o] = lo;
            double sum = 0;
            for (int t = 0; t < taps; t++)
            {
                int j = lo + t;
                double v = j < inSize ? Math.Max(0, 1 - Math.Abs((j + 0.5 - center) / support)) : 0;
                w[o * taps + t] = (float)v; sum += v;
            }
            if (sum <= 0)
            {
                // Degenerate (the box lies between samples): nearest neighbour.
                int nearest = Math.Clamp((int)center, 0, inSize - 1);
                for (int t = 0; t < taps; t++) w[o * taps + t] = lo + t == nearest ? 1f : 0f;
                continue;
            }
            for (int t = 0; t < taps; t++) w[o * taps + t] = (float)(w[o * taps + t] / sum);
        }
        return (first, w, taps);
    }
}
