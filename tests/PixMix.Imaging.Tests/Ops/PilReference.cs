using System.Globalization;

namespace PixMix.Imaging.Tests.Ops;

/// <summary>
/// Plain per-value transcriptions of the Pillow 9.4 routines behind the PixMix operations (ImageOps, Geometry.c's
/// affine bilinear filter, ImageEnhance with ImagingBlend and the SMOOTH filter), written for clarity, not speed.
/// They check the library's vector kernels on image sizes the Pillow fixtures do not cover.
/// </summary>
internal static class PilReference
{
    public static ImageU8 AutoContrast(ImageU8 src)
    {
        var lut = new int[src.Channels, 256];
        for (int c = 0; c < src.Channels; c++)
        {
            var h = Histogram(src, c);
            int lo = Array.FindIndex(h, v => v != 0), hi = Array.FindLastIndex(h, v => v != 0);
            for (int i = 0; i < 256; i++)
            {
                if (hi <= lo) { lut[c, i] = i; continue; }
                double scale = 255.0 / (hi - lo), offset = -lo * scale;
                lut[c, i] = Math.Clamp((int)(i * scale + offset), 0, 255);
            }
        }
        return Map(src, lut);
    }

    public static ImageU8 Equalize(ImageU8 src)
    {
        var lut = new int[src.Channels, 256];
        for (int c = 0; c < src.Channels; c++)
        {
            var h = Histogram(src, c);
            var occupied = h.Where(v => v != 0).ToList();
            long step = occupied.Count <= 1 ? 0 : (occupied.Sum(v => (long)v) - occupied[^1]) / 255;
            long n = step / 2;
            for (int i = 0; i < 256; i++)
            {
                lut[c, i] = step == 0 ? i : (int)Math.Min(n / step, 255);
                n += h[i];
            }
        }
        return Map(src, lut);
    }

    public static ImageU8 Rotate(ImageU8 src, double degrees)
    {
        double angle = degrees % 360.0;
        if (angle < 0) angle += 360.0;
        double cx = src.Width / 2.0, cy = src.Height / 2.0, theta = -(angle * (Math.PI / 180.0));
        double a = Round15(Math.Cos(theta)), b = Round15(Math.Sin(theta)), d = Round15(-Math.Sin(theta)), e = Round15(Math.Cos(theta));
        double c = a * -cx + b * -cy + 0.0 + cx, f = d * -cx + e * -cy + 0.0 + cy;
        return Affine(src, a, b, c, d, e, f);
    }

    /// <summary>Geometry.c: affine_transform with bilinear_filter, fill 0.</summary>
    public static ImageU8 Affine(ImageU8 src, double a0, double a1, double a2, double a3, double a4, double a5)
    {
        int w = src.Width, h = src.Height, ch = src.Channels;
        var dst = new ImageU8(w, h, ch);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double xin = x + 0.5, yin = y + 0.5;
                double xx = a0 * xin + a1 * yin + a2, yy = a3 * xin + a4 * yin + a5;
                if (!(xx >= 0 && xx < w && yy >= 0 && yy < h)) continue;
                xx -= 0.5;
                yy -= 0.5;
                int xi = (int)Math.Floor(xx), yi = (int)Math.Floor(yy);
                double dx = xx - xi, dy = yy - yi;
                int x0 = Math.Max(xi, 0), x1 = Math.Min(xi + 1, w - 1), y0 = Math.Max(yi, 0);
                for (int c = 0; c < ch; c++)
                {
                    double v1 = src[x0, y0, c] + (src[x1, y0, c] - src[x0, y0, c]) * dx;
                    double v = v1;
                    if (yi + 1 < h)
                    {
                        double v2 = src[x0, yi + 1, c] + (src[x1, yi + 1, c] - src[x0, yi + 1, c]) * dx;
                        v = v1 + (v2 - v1) * dy;
                    }
                    dst[x, y, c] = (byte)(int)v;
                }
            }
        return dst;
    }

    public static ImageU8 Color(ImageU8 src, double factor)
    {
        if (src.Channels == 1) return src.Clone();
        var grey = new ImageU8(src.Width, src.Height, 3);
        for (int y = 0; y < src.Height; y++)
            for (int x = 0; x < src.Width; x++)
            {
                int l = Luma(src, x, y);
                for (int c = 0; c < 3; c++) grey[x, y, c] = (byte)l;
            }
        return Blend(grey, src, factor);
    }

    public static ImageU8 Contrast(ImageU8 src, double factor)
    {
        long sum = 0;
        for (int y = 0; y < src.Height; y++)
            for (int x = 0; x < src.Width; x++) sum += src.Channels == 1 ? src[x, y, 0] : Luma(src, x, y);
        int mean = (int)((double)sum / (src.Width * src.Height) + 0.5);
        var flat = new ImageU8(src.Width, src.Height, src.Channels);
        flat.Span.Fill((byte)mean);
        return Blend(flat, src, factor);
    }

    public static ImageU8 Brightness(ImageU8 src, double factor) => Blend(new ImageU8(src.Width, src.Height, src.Channels), src, factor);

    public static ImageU8 Sharpness(ImageU8 src, double factor)
    {
        // ImageFilter.SMOOTH: 3x3 kernel (1 1 1 / 1 5 1 / 1 1 1) / 13 in float, border pixels copied.
        var smooth = src.Clone();
        float side = 1f / 13f, centre = 5f / 13f;
        for (int y = 1; y < src.Height - 1; y++)
            for (int x = 1; x < src.Width - 1; x++)
                for (int c = 0; c < src.Channels; c++)
                {
                    // Filter.c: the rounding offset, then one three-term sum per row: below, centre, above.
                    float ss = 0.5f;
                    for (int dy = 1; dy >= -1; dy--)
                    {
                        float k = dy == 0 ? centre : side;
                        ss += src[x - 1, y + dy, c] * side + src[x, y + dy, c] * k + src[x + 1, y + dy, c] * side;
                    }
                    smooth[x, y, c] = ss <= 0 ? (byte)0 : ss >= 255 ? (byte)255 : (byte)(int)ss;
                }
        return Blend(smooth, src, factor);
    }

    /// <summary>ImagingBlend: im1 + alpha * (im2 - im1) in single precision, clipped, truncated.</summary>
    private static ImageU8 Blend(ImageU8 im1, ImageU8 im2, double factor)
    {
        float alpha = (float)factor;
        var dst = new ImageU8(im1.Width, im1.Height, im1.Channels);
        for (int i = 0; i < dst.Length; i++)
        {
            float t = im1.Data[i] + alpha * (im2.Data[i] - im1.Data[i]);
            dst.Data[i] = t <= 0 ? (byte)0 : t >= 255 ? (byte)255 : (byte)(int)t;
        }
        return dst;
    }

    private static int Luma(ImageU8 src, int x, int y) => (src[x, y, 0] * 19595 + src[x, y, 1] * 38470 + src[x, y, 2] * 7471 + 0x8000) >> 16;

    private static int[] Histogram(ImageU8 src, int channel)
    {
        var h = new int[256];
        for (int i = channel; i < src.Length; i += src.Channels) h[src.Data[i]]++;
        return h;
    }

    private static ImageU8 Map(ImageU8 src, int[,] lut)
    {
        var dst = new ImageU8(src.Width, src.Height, src.Channels);
        for (int i = 0; i < src.Length; i++) dst.Data[i] = (byte)lut[i % src.Channels, src.Data[i]];
        return dst;
    }

    private static double Round15(double x) => double.Parse(x.ToString("F15", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
