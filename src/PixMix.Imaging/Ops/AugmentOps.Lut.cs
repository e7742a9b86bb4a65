using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
        // PIL scans the histogram for the first and last occupied values: the channel's minimum and maximum.
        Span<byte> lo = stackalloc byte[3], hi = stackalloc byte[3];
        MinMax(src.Span, channels, lo, hi);
        Span<double> scale = stackalloc double[3], offset = stackalloc double[3];
        for (int c = 0; c < channels; c++)
        {
            if (hi[c] <= lo[c])
            {
                // A channel with a single value is left unchanged: v * 1 + 0 is v exactly.
                scale[c] = 1.0;
                offset[c] = 0.0;
                continue;
            }
            scale[c] = 255.0 / (hi[c] - lo[c]);
            offset[c] = -lo[c] * scale[c];
        }
        ApplyLinear(src.Span, dst.Span, channels, scale, offset);
    }

    /// <summary>
    /// Maps value v of channel c to <c>clamp(int(v * scale[c] + offset[c]), 0, 255)</c>, PIL's autocontrast table
    /// (double precision, truncation toward zero), computed per value instead of through a table.
    /// </summary>
    private static unsafe void ApplyLinear(ReadOnlySpan<byte> s, Span<byte> d, int channels, ReadOnlySpan<double> scale, ReadOnlySpan<double> offset)
    {
        int n = s.Length;
        fixed (byte* sp = s, dp = d)
        {
            Span<float> fs = stackalloc float[3], fo = stackalloc float[3];
            // The check costs about as much as mapping 16384 values in double precision.
            if (Avx2.IsSupported && n >= 16384 && SingleLinear(channels, scale, offset, fs, fo))
            {
                // 48 values at a time as six vectors of eight floats; value 8q + j belongs to channel
                // (8q + j) % 3, a pattern that repeats with q % 3.
                Span<Vector256<float>> vs = stackalloc Vector256<float>[3], vo = stackalloc Vector256<float>[3];
                Span<float> ls = stackalloc float[8], lo = stackalloc float[8];
                for (int q = 0; q < 3; q++)
                {
                    for (int j = 0; j < 8; j++)
                    {
                        int c = channels == 1 ? 0 : (8 * q + j) % 3;
                        ls[j] = fs[c];
                        lo[j] = fo[c];
                    }
                    vs[q] = Vector256.Create<float>(ls);
                    vo[q] = Vector256.Create<float>(lo);
                }
                Vector256<float> s0 = vs[0], s1 = vs[1], s2 = vs[2], o0 = vo[0], o1 = vo[1], o2 = vo[2];
                // The last block is aligned to the end (it may rewrite values of the previous one).
                for (int i = 0; ; i += 48)
                {
                    if (i > n - 48) i = n - 48;
                    byte* p = sp + i, o = dp + i;
                    Avx.Store(o, Narrow32(LinearBlock8(p, s0, o0), LinearBlock8(p + 8, s1, o1), LinearBlock8(p + 16, s2, o2), LinearBlock8(p + 24, s0, o0)));
                    Sse2.Store(o + 32, Narrow16(LinearBlock8(p + 32, s1, o1), LinearBlock8(p + 40, s2, o2)));
                    if (i == n - 48) return;
                }
            }
            if (Avx2.IsSupported && n >= 48)
            {
                // 16 values at a time as four vectors of four doubles. Value 4q + j of a 48-value block belongs to
                // channel (4q + j) % 3, so the channel pattern of vector q repeats with q % 3; a 48-value block
                // starts at a pixel boundary. mul then add (no fused multiply-add), as PIL's double expression;
                // the saturating narrowing clamps the truncated values to [0, 255].
                Span<Vector256<double>> vs = stackalloc Vector256<double>[3], vo = stackalloc Vector256<double>[3];
                for (int q = 0; q < 3; q++)
                {
                    int c0 = channels == 1 ? 0 : (4 * q) % 3, c1 = channels == 1 ? 0 : (4 * q + 1) % 3;
                    int c2 = channels == 1 ? 0 : (4 * q + 2) % 3, c3 = channels == 1 ? 0 : (4 * q + 3) % 3;
                    vs[q] = Vector256.Create(scale[c0], scale[c1], scale[c2], scale[c3]);
                    vo[q] = Vector256.Create(offset[c0], offset[c1], offset[c2], offset[c3]);
                }
                Vector256<double> s0 = vs[0], s1 = vs[1], s2 = vs[2], o0 = vo[0], o1 = vo[1], o2 = vo[2];
                // The last block is aligned to the end (it may rewrite values of the previous one).
                for (int i = 0; ; i += 48)
                {
                    if (i > n - 48) i = n - 48;
                    byte* p = sp + i, o = dp + i;
                    Sse2.Store(o, LinearBlock16(p, s0, o0, s1, o1, s2, o2, s0, o0));
                    Sse2.Store(o + 16, LinearBlock16(p + 16, s1, o1, s2, o2, s0, o0, s1, o1));
                    Sse2.Store(o + 32, LinearBlock16(p + 32, s2, o2, s0, o0, s1, o1, s2, o2));
                    if (i == n - 48) return;
                }
            }
            for (int i = 0; i < n; i++)
            {
                int c = channels == 1 ? 0 : i % 3;
                dp[i] = (byte)Math.Clamp((int)(sp[i] * scale[c] + offset[c]), 0, 255);
            }
        }
    }

    /// <summary>
    /// Single-precision parameters that give exactly the same table as the double-precision mapping of
    /// <see cref="ApplyLinear"/>: <c>clamp(int(v * scale + offset), 0, 255)</c> in float. The offset is nudged
    /// (up by 2^-10 first, so that values the double expression puts exactly on an integer stay there despite the
    /// float rounding; then unchanged; then down). A per-value mapping is proven equal by checking all 256 values;
    /// false when no candidate matches for some channel.
    /// </summary>
    private static bool SingleLinear(int channels, ReadOnlySpan<double> scale, ReadOnlySpan<double> offset, Span<float> s, Span<float> o)
    {
        ReadOnlySpan<float> nudges = [1f / 1024f, 0f, -1f / 1024f];
        for (int c = 0; c < channels; c++)
        {
            s[c] = (float)scale[c];
            bool found = false;
            foreach (float nudge in nudges)
            {
                o[c] = (float)offset[c] + nudge;
                found = true;
                for (int v = 0; v < 256 && found; v++)
                    found = Math.Clamp((int)(v * scale[c] + offset[c]), 0, 255) == Math.Clamp((int)(v * s[c] + o[c]), 0, 255);
                if (found) break;
            }
            if (!found) return false;
        }
        return true;
    }

    /// <summary>Eight values of the single-precision mapping (mul then add), truncated; clamped by the narrowing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<int> LinearBlock8(byte* p, Vector256<float> scale, Vector256<float> offset)
        => Avx.ConvertToVector256Int32WithTruncation(Load8(p) * scale + offset);

    /// <summary>Sixteen values of <see cref="ApplyLinear"/>, four doubles per (scale, offset) pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector128<byte> LinearBlock16(byte* p,
        Vector256<double> s0, Vector256<double> o0, Vector256<double> s1, Vector256<double> o1,
        Vector256<double> s2, Vector256<double> o2, Vector256<double> s3, Vector256<double> o3)
    {
        var t0 = Avx.ConvertToVector128Int32WithTruncation(Avx.ConvertToVector256Double(Sse41.ConvertToVector128Int32(p)) * s0 + o0);
        var t1 = Avx.ConvertToVector128Int32WithTruncation(Avx.ConvertToVector256Double(Sse41.ConvertToVector128Int32(p + 4)) * s1 + o1);
        var t2 = Avx.ConvertToVector128Int32WithTruncation(Avx.ConvertToVector256Double(Sse41.ConvertToVector128Int32(p + 8)) * s2 + o2);
        var t3 = Avx.ConvertToVector128Int32WithTruncation(Avx.ConvertToVector256Double(Sse41.ConvertToVector128Int32(p + 12)) * s3 + o3);
        return Sse2.PackUnsignedSaturate(Sse2.PackSignedSaturate(t0, t1), Sse2.PackSignedSaturate(t2, t3));
    }

    /// <summary>The minimum and maximum value of every channel.</summary>
    private static unsafe void MinMax(ReadOnlySpan<byte> s, int channels, Span<byte> lo, Span<byte> hi)
    {
        lo.Fill(255);
        hi.Fill(0);
        int n = s.Length, i = 0;
        fixed (byte* sp = s)
        {
            if (Vector256.IsHardwareAccelerated && n >= 96)
            {
                // Byte j of a 96-byte block belongs to channel j % 3 (a whole number of pixels).
                var mn0 = Vector256<byte>.AllBitsSet; var mn1 = mn0; var mn2 = mn0;
                var mx0 = Vector256<byte>.Zero; var mx1 = mx0; var mx2 = mx0;
                for (; i + 96 <= n; i += 96)
                {
                    var a = Vector256.Load(sp + i);
                    var b = Vector256.Load(sp + i + 32);
                    var c = Vector256.Load(sp + i + 64);
                    mn0 = Vector256.Min(mn0, a); mx0 = Vector256.Max(mx0, a);
                    mn1 = Vector256.Min(mn1, b); mx1 = Vector256.Max(mx1, b);
                    mn2 = Vector256.Min(mn2, c); mx2 = Vector256.Max(mx2, c);
                }
                byte* mins = stackalloc byte[96];
                byte* maxs = stackalloc byte[96];
                mn0.Store(mins); mn1.Store(mins + 32); mn2.Store(mins + 64);
                mx0.Store(maxs); mx1.Store(maxs + 32); mx2.Store(maxs + 64);
                for (int j = 0; j < 96; j++)
                {
                    int c = channels == 1 ? 0 : j % 3;
                    if (mins[j] < lo[c]) lo[c] = mins[j];
                    if (maxs[j] > hi[c]) hi[c] = maxs[j];
                }
            }
            for (; i < n; i++)
            {
                int c = channels == 1 ? 0 : i % 3;
                byte v = sp[i];
                if (v < lo[c]) lo[c] = v;
                if (v > hi[c]) hi[c] = v;
            }
        }
    }

    /// <summary>
    /// Per-channel histogram equalisation, <c>ImageOps.equalize(image)</c>: with <c>step = (N - count of the last
    /// occupied value) // 255</c>, value <c>i</c> maps to <c>(step // 2 + count of values below i) // step</c>
    /// (clamped to 255); a channel with one occupied value or a zero step is left unchanged.
    /// </summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    [SkipLocalsInit]
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
            // The first and last occupied values: a single occupied value (first == last) leaves the channel as is.
            int first = 0, last = 255;
            while (first < 255 && h[first] == 0) first++;
            while (last > 0 && h[last] == 0) last--;
            // The total is the pixel count (every pixel has one value per channel).
            long total = src.Width * (long)src.Height;
            long step = last <= first ? 0 : (total - h[last]) / 255;
            if (step == 0)
            {
                Identity(table);
                continue;
            }
            // table[i] = (step // 2 + count of values below i) // step, clamped to 255 as PIL's point() clamps
            // (the last occupied value can reach 256).
            EqualizeTable(h, step, table);
        }
        ApplyLut(src.Span, dst.Span, channels, lut);
    }

    /// <summary>
    /// <c>table[i] = min((step // 2 + h[0] + .. + h[i - 1]) // step, 255)</c>. The quotient comes from a
    /// double-precision reciprocal, off by at most one (the numerators are integers below 2^53, exact in double),
    /// and is corrected exactly with products of integers (also exact in double), without branches.
    /// </summary>
    [SkipLocalsInit]
    private static unsafe void EqualizeTable(ReadOnlySpan<int> h, long step, Span<byte> table)
    {
        double* numerators = stackalloc double[256];
        long n = step / 2;
        for (int i = 0; i < 256; i++)
        {
            numerators[i] = n;
            n += h[i];
        }
        double s = step, inverse = 1.0 / s;
        int k = 0;
        if (Avx.IsSupported)
        {
            var vs = Vector256.Create(s);
            var vInverse = Vector256.Create(inverse);
            var one = Vector256.Create(1.0);
            var max = Vector256.Create(255.0);
            for (; k < 256; k += 4)
            {
                var num = Avx.LoadVector256(numerators + k);
                var q = Avx.Floor(num * vInverse);
                q += Avx.And(Avx.CompareLessThanOrEqual((q + one) * vs, num), one);
                q -= Avx.And(Avx.CompareGreaterThan(q * vs, num), one);
                var bytes = Avx.ConvertToVector128Int32WithTruncation(Avx.Min(q, max));
                var packed = Sse2.PackUnsignedSaturate(Sse2.PackSignedSaturate(bytes, bytes), Vector128<short>.Zero);
                MemoryMarshal.Write(table.Slice(k), packed.AsUInt32().ToScalar());
            }
        }
        for (; k < 256; k++)
        {
            double q = Math.Floor(numerators[k] * inverse);
            q += (q + 1) * s <= numerators[k] ? 1 : 0;
            q -= q * s > numerators[k] ? 1 : 0;
            table[k] = (byte)Math.Min(q, 255);
        }
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

    [SkipLocalsInit]
    private static unsafe void Histogram(ReadOnlySpan<byte> pixels, int channels, Span<int> histogram)
    {
        int n = pixels.Length, i = 0;
        // On larger images, four interleaved copies of the histogram, one per pixel of a group of four, so that
        // equal neighbouring values do not wait on each other's increments; they are added up at the end.
        int size = 256 * channels, copyCount = n >= 16384 ? 4 : 1;
        int* copies = stackalloc int[4 * 768];
        new Span<int>(copies, copyCount * size).Clear();
        fixed (byte* p = pixels)
        {
            int* h0 = copies, h1 = h0, h2 = h0, h3 = h0;
            if (copyCount == 4)
            {
                h1 = copies + size;
                h2 = copies + 2 * size;
                h3 = copies + 3 * size;
            }
            if (channels == 1)
            {
                for (; i + 4 <= n; i += 4)
                {
                    h0[p[i]]++;
                    h1[p[i + 1]]++;
                    h2[p[i + 2]]++;
                    h3[p[i + 3]]++;
                }
                for (; i < n; i++) h0[p[i]]++;
            }
            else
            {
                for (; i + 12 <= n; i += 12)
                {
                    h0[p[i]]++; h0[256 + p[i + 1]]++; h0[512 + p[i + 2]]++;
                    h1[p[i + 3]]++; h1[256 + p[i + 4]]++; h1[512 + p[i + 5]]++;
                    h2[p[i + 6]]++; h2[256 + p[i + 7]]++; h2[512 + p[i + 8]]++;
                    h3[p[i + 9]]++; h3[256 + p[i + 10]]++; h3[512 + p[i + 11]]++;
                }
                for (; i + 2 < n; i += 3)
                {
                    h0[p[i]]++; h0[256 + p[i + 1]]++; h0[512 + p[i + 2]]++;
                }
            }
            if (copyCount == 4)
            {
                for (int k = 0; k < size; k++) histogram[k] = h0[k] + h1[k] + h2[k] + h3[k];
            }
            else
            {
                new ReadOnlySpan<int>(h0, size).CopyTo(histogram);
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
            int i = 0;
            // Four pixels per iteration, written as one eight-byte and one four-byte store (little-endian order).
            for (; BitConverter.IsLittleEndian && i + 12 <= n; i += 12)
            {
                byte* v = sp + i;
                ulong lo = l0[v[0]] | (ulong)l1[v[1]] << 8 | (ulong)l2[v[2]] << 16 | (ulong)l0[v[3]] << 24
                    | (ulong)l1[v[4]] << 32 | (ulong)l2[v[5]] << 40 | (ulong)l0[v[6]] << 48 | (ulong)l1[v[7]] << 56;
                uint hi = l2[v[8]] | (uint)l0[v[9]] << 8 | (uint)l1[v[10]] << 16 | (uint)l2[v[11]] << 24;
                *(ulong*)(dp + i) = lo;
                *(uint*)(dp + i + 8) = hi;
            }
            for (; i + 2 < n; i += 3)
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
