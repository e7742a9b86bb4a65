using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PixMix.Imaging.Ops;

// The PIL ImageEnhance operations: Image.blend(degenerate, image, factor) with a per-operation degenerate image.
public static partial class AugmentOps
{
    // PIL's SMOOTH kernel (1 1 1 / 1 5 1 / 1 1 1) / 13 as the single-precision weights its filter uses.
    private const float SmoothSide = 1f / 13f;
    private const float SmoothCentre = 5f / 13f;

    /// <summary>
    /// Saturation, <c>ImageEnhance.Color(image).enhance(factor)</c>: blends the greyscale version
    /// (L = (19595 R + 38470 G + 7471 B + 32768) >> 16, PIL's conversion) with the image; 0 gives grey, 1 the
    /// original. A grey image is returned unchanged.
    /// </summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="factor">The enhancement factor (finite, &gt;= 0).</param>
    public static void Color(ImageU8 src, ImageU8 dst, double factor)
    {
        CheckImages(src, dst);
        CheckFactor(factor);
        ColorCore(src, dst, factor);
    }

    /// <summary>
    /// Contrast, <c>ImageEnhance.Contrast(image).enhance(factor)</c>: blends a flat image of the mean grey level
    /// (<c>int(mean of the L histogram + 0.5)</c>) with the image; 0 gives the flat grey, 1 the original.
    /// </summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="factor">The enhancement factor (finite, &gt;= 0).</param>
    public static void Contrast(ImageU8 src, ImageU8 dst, double factor)
    {
        CheckImages(src, dst);
        CheckFactor(factor);
        ContrastCore(src, dst, factor);
    }

    /// <summary>
    /// Brightness, <c>ImageEnhance.Brightness(image).enhance(factor)</c>: blends black with the image; 0 gives
    /// black, 1 the original.
    /// </summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="factor">The enhancement factor (finite, &gt;= 0).</param>
    public static void Brightness(ImageU8 src, ImageU8 dst, double factor)
    {
        CheckImages(src, dst);
        CheckFactor(factor);
        BrightnessCore(src, dst, factor);
    }

    /// <summary>
    /// Sharpness, <c>ImageEnhance.Sharpness(image).enhance(factor)</c>: blends the image filtered by PIL's SMOOTH
    /// kernel (1 1 1 / 1 5 1 / 1 1 1) / 13 (border pixels unfiltered) with the image; 0 gives the smoothed image,
    /// 1 the original, above 1 sharpens.
    /// </summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="factor">The enhancement factor (finite, &gt;= 0).</param>
    public static void Sharpness(ImageU8 src, ImageU8 dst, double factor)
    {
        CheckImages(src, dst);
        CheckFactor(factor);
        SharpnessCore(src, dst, factor);
    }

    /// <summary>
    /// One value of PIL's <c>ImagingBlend</c>: <c>degenerate + alpha * (image - degenerate)</c> in single precision,
    /// clipped to [0, 255] and truncated.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Blend(int degenerate, int image, float alpha)
    {
        float t = degenerate + alpha * (image - degenerate);
        return t <= 0f ? (byte)0 : t >= 255f ? (byte)255 : (byte)(int)t;
    }

    /// <summary>PIL's RGB to L conversion (ITU-R 601-2 luma in 16-bit fixed point, rounded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Luma(int r, int g, int b) => (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;

    private static unsafe void ColorCore(ImageU8 src, ImageU8 dst, double factor)
    {
        float alpha = (float)factor;
        // A grey image is its own greyscale version: the blend of an image with itself is the image.
        if (src.Channels == 1 || alpha == 1f)
        {
            src.CopyTo(dst);
            return;
        }
        int pixels = src.Width * src.Height;
        fixed (byte* sp = src.Data, dp = dst.Data)
        {
            if (!Avx2.IsSupported || pixels < 16 || alpha > MaxVectorAlpha)
            {
                for (int i = 0; i < pixels * 3; i += 3)
                {
                    int r = sp[i], g = sp[i + 1], b = sp[i + 2];
                    int l = Luma(r, g, b);
                    dp[i] = Blend(l, r, alpha);
                    dp[i + 1] = Blend(l, g, alpha);
                    dp[i + 2] = Blend(l, b, alpha);
                }
                return;
            }
            // Sixteen pixels at a time as planes: the same integer luma, then the same float blend per channel.
            // The last block is aligned to the end of the image (it may recompute pixels of the previous one).
            for (int p = 0; ; p += 16)
            {
                if (p > pixels - 16) p = pixels - 16;
                Deinterleave16(sp + p * 3, out var r, out var g, out var b);
                Luma16(r, g, b, out var l0, out var l1);
                var f0 = Avx.ConvertToVector256Single(l0);
                var f1 = Avx.ConvertToVector256Single(l1);
                Interleave16(Blend16(f0, f1, r, alpha), Blend16(f0, f1, g, alpha), Blend16(f0, f1, b, alpha), dp + p * 3);
                if (p == pixels - 16) break;
            }
        }
    }

    private static void ContrastCore(ImageU8 src, ImageU8 dst, double factor)
    {
        float alpha = (float)factor;
        if (alpha == 1f)
        {
            src.CopyTo(dst);
            return;
        }
        ReadOnlySpan<byte> s = src.Span;
        // ImageStat's mean of the L image: the sum of value * count over the histogram divided by the pixel count.
        long sum = 0;
        if (src.Channels == 1)
        {
            foreach (byte v in s) sum += v;
        }
        else
        {
            sum = LumaSum(s);
        }
        double mean = (double)sum / (src.Width * src.Height);
        int grey = (int)(mean + 0.5);
        BlendWithConstant(src, dst, grey, alpha);
    }

    private static void BrightnessCore(ImageU8 src, ImageU8 dst, double factor)
    {
        float alpha = (float)factor;
        if (alpha == 1f)
        {
            src.CopyTo(dst);
            return;
        }
        BlendWithConstant(src, dst, 0, alpha);
    }

    /// <summary>The sum of PIL's L values over an RGB image (an exact integer sum in any order).</summary>
    private static unsafe long LumaSum(ReadOnlySpan<byte> s)
    {
        int pixels = s.Length / 3, p = 0;
        long sum = 0;
        fixed (byte* sp = s)
        {
            if (Avx2.IsSupported)
            {
                // Per-lane int32 sums stay below 2^31: each block adds at most 2 * 255 per lane.
                while (p + 16 <= pixels)
                {
                    var acc = Vector256<int>.Zero;
                    int stop = Math.Min(pixels - 16, p + (1 << 20));
                    for (; p <= stop; p += 16)
                    {
                        Deinterleave16(sp + p * 3, out var r, out var g, out var b);
                        Luma16(r, g, b, out var l0, out var l1);
                        acc += l0 + l1;
                    }
                    sum += Vector256.Sum(acc);
                }
            }
            for (; p < pixels; p++) sum += Luma(sp[p * 3], sp[p * 3 + 1], sp[p * 3 + 2]);
        }
        return sum;
    }

    /// <summary>Blends a flat image of value <paramref name="degenerate"/> with <paramref name="src"/>.</summary>
    private static unsafe void BlendWithConstant(ImageU8 src, ImageU8 dst, int degenerate, float alpha)
    {
        int n = src.Length, i = 0;
        fixed (byte* sp = src.Data, dp = dst.Data)
        {
            if (Avx2.IsSupported && n >= 32 && alpha <= MaxVectorAlpha)
            {
                // 32 values at a time; the last block is aligned to the end (it may rewrite values of the previous one).
                var flat = Vector256.Create((float)degenerate);
                for (; ; i += 32)
                {
                    if (i > n - 32) i = n - 32;
                    byte* s = sp + i;
                    Avx.Store(dp + i, Narrow32(
                        BlendTruncate(flat, Load8(s), alpha),
                        BlendTruncate(flat, Load8(s + 8), alpha),
                        BlendTruncate(flat, Load8(s + 16), alpha),
                        BlendTruncate(flat, Load8(s + 24), alpha)));
                    if (i == n - 32) return;
                }
            }
            for (; i < n; i++) dp[i] = Blend(degenerate, sp[i], alpha);
        }
    }

    private static unsafe void SharpnessCore(ImageU8 src, ImageU8 dst, double factor)
    {
        float alpha = (float)factor;
        int w = src.Width, h = src.Height, channels = src.Channels, stride = src.Stride;
        // The smoothed image equals the source on the border, so the blend leaves the border unchanged; images
        // narrower or shorter than the kernel have no interior at all.
        int end = (w - 1) * channels;
        if (alpha != 1f && h >= 3 && Avx2.IsSupported && end - channels >= 32 && stride <= SharpnessMaxRow && alpha <= MaxVectorAlpha)
        {
            // Only the border is copied: SharpnessRows32 writes every interior value.
            ReadOnlySpan<byte> s = src.Span;
            Span<byte> d = dst.Span;
            s.Slice(0, stride).CopyTo(d);
            s.Slice((h - 1) * stride, stride).CopyTo(d.Slice((h - 1) * stride));
            for (int y = 1; y < h - 1; y++)
            {
                s.Slice(y * stride, channels).CopyTo(d.Slice(y * stride));
                s.Slice(y * stride + end, channels).CopyTo(d.Slice(y * stride + end));
            }
            SharpnessRows32(src, dst, alpha);
            return;
        }
        src.CopyTo(dst);
        if (alpha == 1f || w < 3 || h < 3) return;
        fixed (byte* sp = src.Data, dp = dst.Data)
        {
            for (int y = 1; y < h - 1; y++)
            {
                byte* above = sp + (y - 1) * stride, row = sp + y * stride, below = sp + (y + 1) * stride;
                byte* o = dp + y * stride;
                int i = channels;
                if (Avx2.IsSupported && end - channels >= 8)
                {
                    // Eight values at a time with the same single-precision operations in the same order; the last
                    // block is aligned to the end of the row (it may overlap the previous one).
                    for (; ; i += 8)
                    {
                        if (i > end - 8) i = end - 8;
                        SharpnessBlock8(above + i, row + i, below + i, channels, alpha, o + i);
                        if (i == end - 8) break;
                    }
                    continue;
                }
                for (; i < end; i++)
                    o[i] = SharpnessValue(above + i, row + i, below + i, channels, alpha);
            }
        }
    }

    // Rows up to this many values keep their six float buffers on the stack (48 KiB).
    private const int SharpnessMaxRow = 2048;

    /// <summary>
    /// <see cref="SharpnessValue"/> for every interior value (AVX2), 32 values at a time. Every product of the
    /// filter is a value times 1/13 or 5/13, so each row's products by 1/13 are computed once, and so are its
    /// three-term horizontal sums <c>(p[i - step] + p[i]) + p[i + step]</c> (PIL's order), which the rows above and
    /// below reuse; the sums then combine in PIL's order: ((0.5 + below) + middle row) + above.
    /// </summary>
    [SkipLocalsInit]
    private static unsafe void SharpnessRows32(ImageU8 src, ImageU8 dst, float alpha)
    {
        int h = src.Height, step = src.Channels, stride = src.Stride;
        int end = stride - step;
        int pitch = stride + 8;
        // Rings of three rows: products + (r % 3) * pitch holds row r's values times 1/13 (every one written),
        // sums + (r % 3) * pitch its horizontal sums (indices step .. end - 1 written, the only ones read).
        float* products = stackalloc float[3 * pitch];
        float* sums = stackalloc float[3 * pitch];
        fixed (byte* sp = src.Data, dp = dst.Data)
        {
            SharpnessPrepareRow(sp, products, sums, stride, step, end);
            SharpnessPrepareRow(sp + stride, products + pitch, sums + pitch, stride, step, end);
            for (int y = 1; y < h - 1; y++)
            {
                int next = (y + 1) % 3 * pitch;
                SharpnessPrepareRow(sp + (y + 1) * stride, products + next, sums + next, stride, step, end);
                byte* row = sp + y * stride, o = dp + y * stride;
                float* middle = products + y % 3 * pitch, above = sums + (y - 1) % 3 * pitch, below = sums + next;
                // The last block is aligned to the end of the interior (it may rewrite values of the previous one).
                for (int i = step; ; i += 32)
                {
                    if (i > end - 32) i = end - 32;
                    Avx.Store(o + i, Narrow32(
                        SharpnessBlock(row + i, middle + i, above + i, below + i, step, alpha),
                        SharpnessBlock(row + i + 8, middle + i + 8, above + i + 8, below + i + 8, step, alpha),
                        SharpnessBlock(row + i + 16, middle + i + 16, above + i + 16, below + i + 16, step, alpha),
                        SharpnessBlock(row + i + 24, middle + i + 24, above + i + 24, below + i + 24, step, alpha)));
                    if (i == end - 32) break;
                }
            }
        }
    }

    /// <summary>One row's products by 1/13 and their horizontal sums for <see cref="SharpnessRows32"/>.</summary>
    private static unsafe void SharpnessPrepareRow(byte* row, float* products, float* sums, int stride, int step, int end)
    {
        var side = Vector256.Create(SmoothSide);
        int i = 0;
        for (; i + 8 <= stride; i += 8)
            Avx.Store(products + i, Load8(row + i) * side);
        for (; i < stride; i++) products[i] = row[i] * SmoothSide;
        // The last block is aligned to the end of the interior (it may rewrite sums of the previous one).
        for (i = step; ; i += 8)
        {
            if (i > end - 8) i = end - 8;
            Avx.Store(sums + i, Avx.LoadVector256(products + i - step) + Avx.LoadVector256(products + i) + Avx.LoadVector256(products + i + step));
            if (i == end - 8) break;
        }
    }

    /// <summary>Eight values of <see cref="SharpnessRows32"/>: the filter from the prepared rows, then the blend.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<int> SharpnessBlock(byte* row, float* products, float* above, float* below, int step, float alpha)
    {
        var value = Load8(row);
        var middle = Avx.LoadVector256(products - step) + value * Vector256.Create(SmoothCentre) + Avx.LoadVector256(products + step);
        var ss = Vector256.Create(0.5f) + Avx.LoadVector256(below) + middle + Avx.LoadVector256(above);
        // ss lies in [0.5, 255.5] (non-negative weights summing to 1), so clip8 is a plain truncation.
        return BlendTruncate(Avx.RoundToZero(ss), value, alpha);
    }

    /// <summary>One interior value: PIL's 3x3 SMOOTH filter (single precision, rows below / centre / above, each
    /// summed left to right, from the rounding offset 0.5), clipped and truncated, then blended with the value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe byte SharpnessValue(byte* above, byte* row, byte* below, int step, float alpha)
    {
        float ss = 0.5f;
        ss += below[-step] * SmoothSide + below[0] * SmoothSide + below[step] * SmoothSide;
        ss += row[-step] * SmoothSide + row[0] * SmoothCentre + row[step] * SmoothSide;
        ss += above[-step] * SmoothSide + above[0] * SmoothSide + above[step] * SmoothSide;
        int smooth = ss <= 0f ? 0 : ss >= 255f ? 255 : (int)ss;
        return Blend(smooth, row[0], alpha);
    }

    /// <summary><see cref="SharpnessValue"/> for eight consecutive values (AVX2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void SharpnessBlock8(byte* above, byte* row, byte* below, int step, float alpha, byte* o)
    {
        var side = Vector256.Create(SmoothSide);
        var centre = Vector256.Create(SmoothCentre);
        var zero = Vector256<float>.Zero;
        var max = Vector256.Create(255f);
        var ss = Vector256.Create(0.5f);
        ss += Load8(below - step) * side + Load8(below) * side + Load8(below + step) * side;
        ss += Load8(row - step) * side + Load8(row) * centre + Load8(row + step) * side;
        ss += Load8(above - step) * side + Load8(above) * side + Load8(above + step) * side;
        // clip8: <= 0 -> 0, >= 255 -> 255, else truncate; clamping first gives the same integers.
        var smooth = Avx.ConvertToVector256Int32WithTruncation(Avx.Min(Avx.Max(ss, zero), max));
        Store8(o, BlendVector(smooth, Avx2.ConvertToVector256Int32(row), alpha));
    }

    // Up to this factor a blend of bytes stays well inside int32, which BlendTruncate relies on.
    private const float MaxVectorAlpha = 65536f;

    /// <summary>
    /// <see cref="Blend"/> for eight values given as floats (exact integers in [0, 255]) before the clip: the same
    /// single-precision operations (image - degenerate is exact), then truncation. The clip to [0, 255] is left to
    /// the saturating narrowing (<see cref="Narrow16"/>, <see cref="Narrow32"/>): a truncated value below 0 or
    /// above 255 saturates to the same byte that clipping first gives, as long as alpha is at most
    /// <see cref="MaxVectorAlpha"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> BlendTruncate(Vector256<float> degenerate, Vector256<float> image, float alpha)
        => Avx.ConvertToVector256Int32WithTruncation(degenerate + Vector256.Create(alpha) * (image - degenerate));

    /// <summary><see cref="Blend"/> for eight values (AVX): the same single-precision operations, clamp, truncation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> BlendVector(Vector256<int> degenerate, Vector256<int> image, float alpha)
    {
        var t = Avx.ConvertToVector256Single(degenerate) + Vector256.Create(alpha) * Avx.ConvertToVector256Single(image - degenerate);
        return Avx.ConvertToVector256Int32WithTruncation(Avx.Min(Avx.Max(t, Vector256<float>.Zero), Vector256.Create(255f)));
    }

    /// <summary>Stores eight int32 values known to be in [0, 255] as eight bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store8(byte* o, Vector256<int> values)
    {
        var shorts = Avx2.PackSignedSaturate(values, values);      // lane 0: v0..v3 twice, lane 1: v4..v7 twice
        var bytes = Avx2.PackUnsignedSaturate(shorts, shorts).AsUInt32();
        *(uint*)o = bytes.GetElement(0);
        *(uint*)(o + 4) = bytes.GetElement(4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<float> Load8(byte* p) => Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(p));
}
