using System.Runtime.CompilerServices;

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

    private static void ColorCore(ImageU8 src, ImageU8 dst, double factor)
    {
        float alpha = (float)factor;
        // A grey image is its own greyscale version: the blend of an image with itself is the image.
        if (src.Channels == 1 || alpha == 1f)
        {
            src.CopyTo(dst);
            return;
        }
        ReadOnlySpan<byte> s = src.Span;
        Span<byte> d = dst.Span;
        for (int i = 0; i + 2 < s.Length; i += 3)
        {
            int r = s[i], g = s[i + 1], b = s[i + 2];
            int l = Luma(r, g, b);
            d[i] = Blend(l, r, alpha);
            d[i + 1] = Blend(l, g, alpha);
            d[i + 2] = Blend(l, b, alpha);
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
            for (int i = 0; i + 2 < s.Length; i += 3) sum += Luma(s[i], s[i + 1], s[i + 2]);
        }
        double mean = (double)sum / (src.Width * src.Height);
        int grey = (int)(mean + 0.5);
        Span<byte> lut = stackalloc byte[256];
        for (int v = 0; v < 256; v++) lut[v] = Blend(grey, v, alpha);
        ApplyLut(s, dst.Span, lut);
    }

    private static void BrightnessCore(ImageU8 src, ImageU8 dst, double factor)
    {
        float alpha = (float)factor;
        if (alpha == 1f)
        {
            src.CopyTo(dst);
            return;
        }
        Span<byte> lut = stackalloc byte[256];
        for (int v = 0; v < 256; v++) lut[v] = Blend(0, v, alpha);
        ApplyLut(src.Span, dst.Span, lut);
    }

    private static unsafe void SharpnessCore(ImageU8 src, ImageU8 dst, double factor)
    {
        float alpha = (float)factor;
        int w = src.Width, h = src.Height, channels = src.Channels, stride = src.Stride;
        // The smoothed image equals the source on the border, so the blend leaves the border unchanged; images
        // narrower or shorter than the kernel have no interior at all.
        src.CopyTo(dst);
        if (alpha == 1f || w < 3 || h < 3) return;
        fixed (byte* sp = src.Data, dp = dst.Data)
        {
            for (int y = 1; y < h - 1; y++)
            {
                byte* above = sp + (y - 1) * stride, row = sp + y * stride, below = sp + (y + 1) * stride;
                byte* o = dp + y * stride;
                int end = (w - 1) * channels;
                for (int i = channels; i < end; i++)
                {
                    // PIL's 3x3 filter order: the row below, the row, the row above, each summed left to right,
                    // all in single precision, starting from the rounding offset 0.5.
                    float ss = 0.5f;
                    ss += below[i - channels] * SmoothSide + below[i] * SmoothSide + below[i + channels] * SmoothSide;
                    ss += row[i - channels] * SmoothSide + row[i] * SmoothCentre + row[i + channels] * SmoothSide;
                    ss += above[i - channels] * SmoothSide + above[i] * SmoothSide + above[i + channels] * SmoothSide;
                    int smooth = ss <= 0f ? 0 : ss >= 255f ? 255 : (int)ss;
                    o[i] = Blend(smooth, row[i], alpha);
                }
            }
        }
    }
}
