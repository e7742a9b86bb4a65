using SkiaSharp;

namespace PixMix.Imaging.Corruptions;

public static partial class Corruptor
{
    private static readonly double[] s_brightnessCifar = [0.05, 0.1, 0.15, 0.2, 0.3];
    private static readonly double[] s_brightnessImageNet = [0.1, 0.2, 0.3, 0.4, 0.5];
    private static readonly double[] s_contrastCifar = [0.75, 0.5, 0.4, 0.3, 0.15];
    private static readonly double[] s_contrastImageNet = [0.4, 0.3, 0.2, 0.1, 0.05];
    private static readonly (double Scale, double Shift)[] s_saturateCifar = [(0.3, 0), (0.1, 0), (1.5, 0), (2, 0.1), (2.5, 0.2)];
    private static readonly (double Scale, double Shift)[] s_saturateImageNet = [(0.3, 0), (0.1, 0), (2, 0), (5, 0.1), (20, 0.2)];
    private static readonly double[] s_pixelateCifar = [0.95, 0.9, 0.85, 0.75, 0.65];
    private static readonly double[] s_pixelateImageNet = [0.6, 0.5, 0.4, 0.3, 0.25];
    private static readonly int[] s_jpegCifar = [80, 65, 58, 50, 40];
    private static readonly int[] s_jpegImageNet = [25, 18, 15, 10, 7];
    // (alpha, sigma, affine jitter) as fractions of the reference size (32 for CIFAR; 244, the reference's constant, for ImageNet)
    private static readonly (double Alpha, double Sigma, double Affine)[] s_elasticCifar =
        [(0, 0, 0.08), (0.05, 0.2, 0.07), (0.08, 0.06, 0.06), (0.1, 0.04, 0.05), (0.1, 0.03, 0.03)];
    private static readonly (double Alpha, double Sigma, double Affine)[] s_elasticImageNet =
        [(2, 0.7, 0.1), (2, 0.08, 0.2), (0.05, 0.01, 0.02), (0.07, 0.01, 0.02), (0.12, 0.01, 0.02)];

    /// <summary>
    /// brightness: adds [.05, .1, .15, .2, .3] (CIFAR) or [.1, .2, .3, .4, .5] (ImageNet) to the value channel in
    /// HSV (skimage's rgb2hsv / hsv2rgb), clipped to [0, 1].
    /// </summary>
    public static void Brightness(ImageU8 src, ImageU8 dst, int severity, CorruptionParameterSet set)
    {
        double c = Pick(set, s_brightnessCifar, s_brightnessImageNet, Check(src, dst, severity, set));
        HsvAdjust(src, dst, 1, 0, c);
    }

    /// <summary>
    /// saturate (extra): S = clip(S * a + b) in HSV, (a, b) = [(0.3,0), (0.1,0), (1.5,0), (2,0.1), (2.5,0.2)]
    /// (CIFAR) or [(0.3,0), (0.1,0), (2,0), (5,0.1), (20,0.2)] (ImageNet).
    /// </summary>
    public static void Saturate(ImageU8 src, ImageU8 dst, int severity, CorruptionParameterSet set)
    {
        var (a, b) = Pick(set, s_saturateCifar, s_saturateImageNet, Check(src, dst, severity, set));
        HsvAdjust(src, dst, a, b, 0);
    }

    /// <summary>Adds <paramref name="shift"/> (any sign) to the HSV value channel, clipped to [0, 1]: the brightness corruption at a given shift.</summary>
    internal static void BrightnessShift(ImageU8 src, ImageU8 dst, double shift) => HsvAdjust(src, dst, 1, 0, shift);

    // S = clip(S * satScale + satShift), V = clip(V + valueShift) (the clip only where the reference clips).
    private static void HsvAdjust(ImageU8 src, ImageU8 dst, double satScale, double satShift, double valueShift)
    {
        if (src.Channels == 1)
        {
            var (rgbIn, rgbOut) = CorruptionWorkspace.Current.RgbPair(src.Width, src.Height);
            GreyToRgb(src, rgbIn);
            HsvAdjust(rgbIn, rgbOut, satScale, satShift, valueShift);
            RgbToGrey(rgbOut, dst);
            return;
        }
        bool adjustSat = !(satScale == 1 && satShift == 0);
        var s = src.Span; var d = dst.Span;
        for (int i = 0; i < s.Length; i += 3)
        {
            double r = s[i] / 255.0, g = s[i + 1] / 255.0, b = s[i + 2] / 255.0;
            // skimage rgb2hsv
            double v = Math.Max(r, Math.Max(g, b));
            double delta = v - Math.Min(r, Math.Min(g, b));
            double sat = delta == 0 ? 0 : delta / v;
            double hue;
            if (delta == 0) hue = 0;
            else
            {
                double h6;
                if (b == v) h6 = 4.0 + (r - g) / delta;
                else if (g == v) h6 = 2.0 + (b - r) / delta;
                else h6 = (g - b) / delta;
                hue = h6 / 6.0 % 1.0;
                if (hue < 0) hue += 1.0;
            }
            if (adjustSat) sat = Math.Clamp(sat * satScale + satShift, 0, 1);
            if (valueShift != 0) v = Math.Clamp(v + valueShift, 0, 1);
            // skimage hsv2rgb
            double hi = Math.Floor(hue * 6);
            double f = hue * 6 - hi;
            double p = v * (1 - sat), q = v * (1 - f * sat), t = v * (1 - (1 - f) * sat);
            int sector = (int)(byte)hi % 6;
            (r, g, b) = sector switch
            {
                0 => (v, t, p),
                1 => (q, v, p),
                2 => (p, v, t),
                3 => (p, q, v),
                4 => (t, p, v),
                _ => (v, p, q),
            };
            d[i] = ToByte(r); d[i + 1] = ToByte(g); d[i + 2] = ToByte(b);
        }
    }

    /// <summary>
    /// contrast: (x - m) c + m with m the mean of each channel over the image, c = [.75, .5, .4, .3, .15] (CIFAR)
    /// or [.4, .3, .2, .1, .05] (ImageNet).
    /// </summary>
    public static void Contrast(ImageU8 src, ImageU8 dst, int severity, CorruptionParameterSet set)
    {
        double c = Pick(set, s_contrastCifar, s_contrastImageNet, Check(src, dst, severity, set));
        int ch = src.Channels;
        Span<double> means = stackalloc double[3];
        means.Clear();
        var s = src.Span; var d = dst.Span;
        for (int i = 0; i < s.Length; i += ch)
            for (int k = 0; k < ch; k++) means[k] += s[i + k] / 255.0;
        int pixels = src.Width * src.Height;
        for (int k = 0; k < ch; k++) means[k] /= pixels;
        for (int i = 0; i < s.Length; i += ch)
            for (int k = 0; k < ch; k++) d[i + k] = ToByte((s[i + k] / 255.0 - means[k]) * c + means[k]);
    }

    /// <summary>
    /// pixelate: PIL's BOX resize down to (int(w c), int(h c)) (at least 1 pixel) and BOX resize back,
    /// c = [.95, .9, .85, .75, .65] (CIFAR) or [.6, .5, .4, .3, .25] (ImageNet).
    /// </summary>
    public static void Pixelate(ImageU8 src, ImageU8 dst, int severity, CorruptionParameterSet set)
    {
        double c = Pick(set, s_pixelateCifar, s_pixelateImageNet, Check(src, dst, severity, set));
        int w = src.Width, h = src.Height, ch = src.Channels;
        int sw = Math.Max(1, (int)(w * c)), sh = Math.Max(1, (int)(h * c));
        var ws = CorruptionWorkspace.Current;
        var small = ws.B0(sw * sh * ch);
        Resampler.Resize(src.Span, w, h, ch, small, sw, sh, PillowFilter.Box);
        Resampler.Resize(small, sw, sh, ch, dst.Span, w, h, PillowFilter.Box);
    }

    /// <summary>
    /// jpeg_compression: encodes the image as a baseline JPEG at quality [80, 65, 58, 50, 40] (CIFAR) or
    /// [25, 18, 15, 10, 7] (ImageNet) with 4:2:0 chroma subsampling (grey images as greyscale JPEG) and decodes it,
    /// through SkiaSharp (libjpeg-turbo, standard IJG quantization tables as PIL).
    /// </summary>
    public static void JpegCompression(ImageU8 src, ImageU8 dst, int severity, CorruptionParameterSet set)
    {
        int quality = Pick(set, s_jpegCifar, s_jpegImageNet, Check(src, dst, severity, set));
        JpegRoundTrip(src, dst, quality);
    }

    /// <summary>Encodes <paramref name="src"/> as JPEG at <paramref name="quality"/> (1..100) and decodes it into <paramref name="dst"/>.</summary>
    public static unsafe void JpegRoundTrip(ImageU8 src, ImageU8 dst, int quality)
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentNullException.ThrowIfNull(dst);
        ImageU8.RequireSameShape(src, dst, nameof(dst));
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1, nameof(quality));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100, nameof(quality));
        int w = src.Width, h = src.Height;
        bool grey = src.Channels == 1;
        var info = new SKImageInfo(w, h, grey ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
        var ws = CorruptionWorkspace.Current;
        var pixels = ws.B1(info.BytesSize);
        var s = src.Span;
        if (grey) s.CopyTo(pixels);
        else
            for (int i = 0, j = 0; i < s.Length; i += 3, j += 4)
            {
                pixels[j] = s[i]; pixels[j + 1] = s[i + 1]; pixels[j + 2] = s[i + 2]; pixels[j + 3] = 255;
            }
        fixed (byte* p = pixels)
        {
            using var pixmap = new SKPixmap(info, (IntPtr)p, info.RowBytes);
            var options = new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore);
            using var encoded = pixmap.Encode(options)
                ?? throw new InvalidOperationException($"SkiaSharp could not encode a {w}x{h} JPEG.");
            using var codec = SKCodec.Create(encoded)
                ?? throw new InvalidOperationException("SkiaSharp could not read back the JPEG it encoded.");
            var result = codec.GetPixels(info, (IntPtr)p);
            if (result != SKCodecResult.Success && result != SKCodecResult.IncompleteInput)
                throw new InvalidOperationException($"SkiaSharp could not decode the JPEG it encoded: {result}.");
        }
        var d = dst.Span;
        if (grey) pixels[..d.Length].CopyTo(d);
        else
            for (int i = 0, j = 0; i < d.Length; i += 3, j += 4)
            {
                d[i] = pixels[j]; d[i + 1] = pixels[j + 1]; d[i + 2] = pixels[j + 2];
            }
    }

    /// <summary>
    /// elastic_transform: a random affine warp (the three points (cx +- s, cy +- s) with s = min(w, h) / 3, each
    /// moved by U(-a, a) in x and y; bilinear, mirror border without edge repeat) followed by a smooth random
    /// displacement field (uniform noise in [-1, 1] blurred by a Gaussian of sigma (truncate 3, mirrored border)
    /// and scaled by alpha; bilinear, mirrored border). (alpha, sigma, a) = size x [(0,0,.08), (.05,.2,.07),
    /// (.08,.06,.06), (.1,.04,.05), (.1,.03,.03)] (CIFAR, size = the smaller side) or
    /// 244 x [(2,.7,.1), (2,.08,.2), (.05,.01,.02), (.07,.01,.02), (.12,.01,.02)] at 224 px, scaled by
    /// the smaller side / 224 (ImageNet).
    /// </summary>
    public static void ElasticTransform(ImageU8 src, ImageU8 dst, int severity, ref PixMixRandom rng, CorruptionParameterSet set)
    {
        var p = Pick(set, s_elasticCifar, s_elasticImageNet, Check(src, dst, severity, set));
        int w = src.Width, h = src.Height, ch = src.Channels, n = src.Length, side = Math.Min(w, h);
        double scale = set == CorruptionParameterSet.Cifar ? side : 244.0 * side / 224.0;
        double alpha = p.Alpha * scale, sigma = p.Sigma * scale, jitter = p.Affine * scale;
        var ws = CorruptionWorkspace.Current;
        var image = ws.D0(n); var warped = ws.D1(n);
        Load(src.Span, image);

        // the affine map, from the three reference points and their jittered copies
        int cx = w / 2, cy = h / 2, sq = side / 3;
        Span<double> p1 = [cx + sq, cy + sq, cx + sq, cy - sq, cx - sq, cy - sq];
        Span<double> p2 = stackalloc double[6];
        for (int i = 0; i < 6; i++) p2[i] = (float)(p1[i] + (float)rng.Uniform(-jitter, jitter));
        // warpAffine samples the source at the inverse map: the affine map taking p2 to p1
        Span<double> m = stackalloc double[6];
        SolveAffine(p2, p1, m);
        int stride = w * ch;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double sx = m[0] * x + m[1] * y + m[2], sy = m[3] * x + m[4] * y + m[5];
                Bilinear(image, w, h, ch, sx, sy, Border.Reflect101, warped.Slice(y * stride + x * ch, ch));
            }

        var output = dst.Span;
        if (alpha == 0)
        {
            Store(warped, output);
            return;
        }
        var dx = ws.D2(w * h); var dy = ws.D3(w * h);
        for (int i = 0; i < w * h; i++) dx[i] = rng.Uniform(-1, 1);
        for (int i = 0; i < w * h; i++) dy[i] = rng.Uniform(-1, 1);
        CorruptionFilters.GaussianFilter(dx, w, h, 1, sigma, 3.0, Border.Reflect, ws);
        CorruptionFilters.GaussianFilter(dy, w, h, 1, sigma, 3.0, Border.Reflect, ws);
        Span<double> px = stackalloc double[3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                double sx = x + (float)(dx[i] * alpha), sy = y + (float)(dy[i] * alpha);
                Bilinear(warped, w, h, ch, sx, sy, Border.Reflect, px);
                for (int k = 0; k < ch; k++) output[i * ch + k] = ToByte(px[k]);
            }
    }

    // Solves for the affine map (a b c; d e f) taking the points from[0..2] to to[0..2].
    private static void SolveAffine(ReadOnlySpan<double> from, ReadOnlySpan<double> to, Span<double> m)
    {
        double x0 = from[0], y0 = from[1], x1 = from[2], y1 = from[3], x2 = from[4], y2 = from[5];
        double det = x0 * (y1 - y2) - y0 * (x1 - x2) + (x1 * y2 - x2 * y1);
        if (Math.Abs(det) < 1e-12) { m[0] = 1; m[1] = 0; m[2] = 0; m[3] = 0; m[4] = 1; m[5] = 0; return; }
        for (int r = 0; r < 2; r++)
        {
            double u0 = to[r], u1 = to[2 + r], u2 = to[4 + r];
            // Cramer's rule on [x y 1] * (a b c)^T = u
            double a = (u0 * (y1 - y2) - y0 * (u1 - u2) + (u1 * y2 - u2 * y1)) / det;
            double b = (x0 * (u1 - u2) - u0 * (x1 - x2) + (x1 * u2 - x2 * u1)) / det;
            double c = (x0 * (y1 * u2 - y2 * u1) - y0 * (x1 * u2 - x2 * u1) + u0 * (x1 * y2 - x2 * y1)) / det;
            m[3 * r] = a; m[3 * r + 1] = b; m[3 * r + 2] = c;
        }
    }

    // Bilinear sample of all channels at (sx, sy) with the given border rule.
    private static void Bilinear(ReadOnlySpan<double> image, int w, int h, int ch, double sx, double sy, Border border, Span<double> result)
    {
        double fx = Math.Floor(sx), fy = Math.Floor(sy);
        double tx = sx - fx, ty = sy - fy;
        int ix = (int)Math.Clamp(fx, -1e8, 1e8), iy = (int)Math.Clamp(fy, -1e8, 1e8);
        int xa = CorruptionFilters.MapIndex(ix, w, border), xb = CorruptionFilters.MapIndex(ix + 1, w, border);
        int ya = CorruptionFilters.MapIndex(iy, h, border), yb = CorruptionFilters.MapIndex(iy + 1, h, border);
        int stride = w * ch;
        for (int k = 0; k < ch; k++)
        {
            double v00 = image[ya * stride + xa * ch + k], v01 = image[ya * stride + xb * ch + k];
            double v10 = image[yb * stride + xa * ch + k], v11 = image[yb * stride + xb * ch + k];
            result[k] = (1 - ty) * ((1 - tx) * v00 + tx * v01) + ty * ((1 - tx) * v10 + tx * v11);
        }
    }
}
