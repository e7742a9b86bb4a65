using System.Runtime.Intrinsics;

namespace PixMix.Imaging.Ops;

// The point operations (PIL ImageOps): each builds a 256-entry table per channel and maps every value through it.
public static partial class AugmentOps
{
    /// <summary>
    /// Per-channel contrast stretch, <c>ImageOps.autocontrast(image)</c> (cutoff 0): the channel's lowest value maps
    /// to 0 and its highest to 255 through <c>int(v * scale + offset)</c>, <c>scale = 255 / (hi - lo)</c>; a channel
    /// with a single value is left unchanged.
    /// </summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    public static void AutoContrast(ImageU8 src, ImageU8 dst)
    {
        CheckImages(src, dst);
        int channels = src.Channels;
        Span<int> histogram = stackalloc int[256 * 3];
        Histogram(src.Span, channels, histogram);
        Span<byte> lut = stackalloc byte[256 * 3];
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<int> h = histogram.Slice(c * 256, 256);
            Span<byte> table = lut.Slice(c * 256, 256);
            int lo = 0;
            while (lo < 255 && h[lo] == 0) lo++;
            int hi = 255;
            while (hi > 0 && h[hi] == 0) hi--;
            if (hi <= lo)
            {
                Identity(table);
                continue;
            }
            double scale = 255.0 / (hi - lo);
            double offset = -lo * scale;
            for (int i = 0; i < 256; i++)
            {
                // int() truncates toward zero, then the value is clamped to [0, 255].
                double v = i * scale + offset;
                table[i] = (byte)Math.Clamp((int)v, 0, 255);
            }
        }
        ApplyLut(src.Span, dst.Span, channels, lut);
    }

    /// <summary>
    /// Per-channel histogram equalisation, <c>ImageOps.equalize(image)</c>: with <c>step = (N - count of the last
    /// occupied value) // 255</c>, value <c>i</c> maps to <c>(step // 2 + count of values below i) // step</c>
    /// (clamped to 255); a channel with one occupied value or a zero step is left unchanged.
    /// </summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    public static void Equalize(ImageU8 src, ImageU8 dst)
    {
        CheckImages(src, dst);
        int channels = src.Channels;
        Span<int> histogram = stackalloc int[256 * 3];
        Histogram(src.Span, channels, histogram);
        Span<byte> lut = stackalloc byte[256 * 3];
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<int> h = histogram.Slice(c * 256, 256);
            Span<byte> table = lut.Slice(c * 256, 256);
            long total = 0;
            int occupied = 0, last = 0;
            for (int i = 0; i < 256; i++)
            {
                if (h[i] == 0) continue;
                total += h[i];
                occupied++;
                last = h[i];
            }
            long step = occupied <= 1 ? 0 : (total - last) / 255;
            if (step == 0)
            {
                Identity(table);
                continue;
            }
            // table[i] = (step // 2 + count of values below i) // step, clamped to 255 as PIL's point() clamps
            // (the last occupied value can reach 256). The quotient is kept incrementally instead of dividing
            // 256 times: q = n // step and r = n % step for the running n.
            long q = 0, r = step / 2;
            for (int i = 0; i < 256; i++)
            {
                table[i] = (byte)Math.Min(q, 255);
                r += h[i];
                if (r >= step && q < 255)
                {
                    if (r < 2 * step)
                    {
                        q++;
                        r -= step;
                    }
                    else
                    {
                        long k = r / step;
                        q += k;
                        r -= k * step;
                    }
                }
            }
        }
        ApplyLut(src.Span, dst.Span, channels, lut);
    }

    /// <summary>Keeps the top <paramref name="bits"/> bits of every value, <c>ImageOps.posterize(image, bits)</c>.</summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="bits">Bits kept, 0 (all values become 0) to 8 (unchanged).</param>
    public static void Posterize(ImageU8 src, ImageU8 dst, int bits)
    {
        CheckImages(src, dst);
        if (bits is < 0 or > 8)
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "bits must be in [0, 8].");
        PosterizeCore(src, dst, bits);
    }

    /// <summary>Inverts (255 - v) every value at or above <paramref name="threshold"/>, <c>ImageOps.solarize(image, threshold)</c>.</summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="threshold">0 (invert everything) to 256 (invert nothing).</param>
    public static void Solarize(ImageU8 src, ImageU8 dst, int threshold)
    {
        CheckImages(src, dst);
        if (threshold is < 0 or > 256)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be in [0, 256].");
        SolarizeCore(src, dst, threshold);
    }

    private static void PosterizeCore(ImageU8 src, ImageU8 dst, int bits)
    {
        // mask = ~(2^(8 - bits) - 1), applied to the byte.
        byte mask = (byte)(0xFF00 >> bits);
        ReadOnlySpan<byte> s = src.Span;
        Span<byte> d = dst.Span;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vm = Vector256.Create(mask);
            for (; i <= s.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
                (Vector256.Create(s.Slice(i, Vector256<byte>.Count)) & vm).CopyTo(d.Slice(i));
        }
        for (; i < s.Length; i++) d[i] = (byte)(s[i] & mask);
    }

    private static void SolarizeCore(ImageU8 src, ImageU8 dst, int threshold)
    {
        ReadOnlySpan<byte> s = src.Span;
        Span<byte> d = dst.Span;
        if (threshold >= 256)
        {
            s.CopyTo(d);
            return;
        }
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // v >= threshold  <=>  max(v, threshold) == v (unsigned).
            var vt = Vector256.Create((byte)threshold);
            var all = Vector256<byte>.AllBitsSet;
            for (; i <= s.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                var v = Vector256.Create(s.Slice(i, Vector256<byte>.Count));
                var invert = Vector256.Equals(Vector256.Max(v, vt), v);
                Vector256.ConditionalSelect(invert, v ^ all, v).CopyTo(d.Slice(i));
            }
        }
        for (; i < s.Length; i++)
        {
            int v = s[i];
            d[i] = (byte)(v < threshold ? v : 255 - v);
        }
    }

    private static unsafe void Histogram(ReadOnlySpan<byte> pixels, int channels, Span<int> histogram)
    {
        histogram.Clear();
        int n = pixels.Length;
        fixed (byte* p = pixels)
        fixed (int* h = histogram)
        {
            if (channels == 1)
            {
                for (int i = 0; i < n; i++) h[p[i]]++;
                return;
            }
            int* h1 = h + 256, h2 = h + 512;
            for (int i = 0; i + 2 < n; i += 3)
            {
                h[p[i]]++;
                h1[p[i + 1]]++;
                h2[p[i + 2]]++;
            }
        }
    }

    private static void Identity(Span<byte> table)
    {
        for (int i = 0; i < 256; i++) table[i] = (byte)i;
    }

    /// <summary>Maps channel c of every pixel through <c>lut[c * 256 ..]</c>.</summary>
    private static unsafe void ApplyLut(ReadOnlySpan<byte> s, Span<byte> d, int channels, ReadOnlySpan<byte> lut)
    {
        if (channels == 1)
        {
            ApplyLut(s, d, lut.Slice(0, 256));
            return;
        }
        if (lut.Length < 768 || d.Length < s.Length) throw new ArgumentException("lut or destination too short.");
        int n = s.Length;
        fixed (byte* sp = s, dp = d, l0 = lut)
        {
            byte* l1 = l0 + 256, l2 = l0 + 512;
            for (int i = 0; i + 2 < n; i += 3)
            {
                dp[i] = l0[sp[i]];
                dp[i + 1] = l1[sp[i + 1]];
                dp[i + 2] = l2[sp[i + 2]];
            }
        }
    }

    /// <summary>Maps every value through one 256-entry table.</summary>
    private static unsafe void ApplyLut(ReadOnlySpan<byte> s, Span<byte> d, ReadOnlySpan<byte> lut)
    {
        if (lut.Length < 256 || d.Length < s.Length) throw new ArgumentException("lut or destination too short.");
        int n = s.Length, i = 0;
        fixed (byte* sp = s, dp = d, l = lut)
        {
            // Four lookups per store (little-endian byte order).
            for (; BitConverter.IsLittleEndian && i + 3 < n; i += 4)
            {
                byte a = l[sp[i]], b = l[sp[i + 1]], c = l[sp[i + 2]], e = l[sp[i + 3]];
                *(uint*)(dp + i) = a | (uint)b << 8 | (uint)c << 16 | (uint)e << 24;
            }
            for (; i < n; i++) dp[i] = l[sp[i]];
        }
    }
}
