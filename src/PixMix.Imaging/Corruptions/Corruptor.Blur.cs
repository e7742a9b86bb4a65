namespace PixMix.Imaging.Corruptions;

public static partial class Corruptor
{
    private static readonly (double Radius, double AliasBlur)[] s_defocusCifar = [(0.3, 0.4), (0.4, 0.5), (0.5, 0.6), (1, 0.2), (1.5, 0.1)];
    private static readonly (double Radius, double AliasBlur)[] s_defocusImageNet = [(3, 0.1), (4, 0.5), (6, 0.5), (8, 0.5), (10, 0.5)];
    private static readonly (double Sigma, int MaxDelta, int Iterations)[] s_glassCifar = [(0.05, 1, 1), (0.25, 1, 1), (0.4, 1, 1), (0.25, 1, 2), (0.4, 1, 2)];
    private static readonly (double Sigma, int MaxDelta, int Iterations)[] s_glassImageNet = [(0.7, 1, 2), (0.9, 2, 1), (1, 2, 3), (1.1, 3, 2), (1.5, 4, 2)];
    private static readonly (double Radius, double Sigma)[] s_motionCifar = [(6, 1), (6, 1.5), (6, 2), (8, 2), (9, 2.5)];
    private static readonly (double Radius, double Sigma)[] s_motionImageNet = [(10, 3), (15, 5), (15, 8), (15, 12), (20, 15)];
    // zoom factors 1, 1 + step, ..., count values (numpy's arange(1, end, step))
    private static readonly (int Count, double Step)[] s_zoomCifar = [(7, 0.01), (12, 0.01), (16, 0.01), (21, 0.01), (26, 0.01)];
    private static readonly (int Count, double Step)[] s_zoomImageNet = [(12, 0.01), (16, 0.01), (11, 0.02), (13, 0.02), (11, 0.03)];
    private static readonly double[] s_gaussianBlurCifar = [0.4, 0.6, 0.7, 0.8, 1];
    private static readonly double[] s_gaussianBlurImageNet = [1, 2, 3, 4, 6];

    /// <summary>
    /// defocus_blur: convolution with an anti-aliased disk: the pixels of a 17x17 grid (or (2r+1)^2 when
    /// r &gt; 8) within radius r, normalized, smoothed by a 3x3 (5x5 when r &gt; 8) Gaussian of sigma alias_blur
    /// (OpenCV GaussianBlur), then applied with OpenCV filter2D semantics (mirror border without edge repeat).
    /// (r, alias_blur) = [(0.3, 0.4), (0.4, 0.5), (0.5, 0.6), (1, 0.2), (1.5, 0.1)] (CIFAR) or
    /// [(3, 0.1), (4, 0.5), (6, 0.5), (8, 0.5), (10, 0.5)] (ImageNet).
    /// </summary>
    public static void DefocusBlur(ImageU8 src, ImageU8 dst, int severity, CorruptionParameterSet set)
    {
        var (radius, alias) = Pick(set, s_defocusCifar, s_defocusImageNet, Check(src, dst, severity, set));
        var ws = CorruptionWorkspace.Current;
        int half = radius <= 8 ? 8 : (int)radius, ksize = radius <= 8 ? 3 : 5, kw = 2 * half + 1;
        var kf = ws.F0(kw * kw);
        int count = 0;
        for (int y = -half; y <= half; y++)
            for (int x = -half; x <= half; x++)
            {
                bool inside = x * x + y * y <= radius * radius;
                kf[(y + half) * kw + x + half] = inside ? 1f : 0f;
                if (inside) count++;
            }
        float inv = count;
        for (int i = 0; i < kf.Length; i++) kf[i] /= inv;
        CorruptionFilters.CvGaussianBlur(kf, kw, kw, ksize, alias, ws);
        var kd = ws.D2(kw * kw);
        for (int i = 0; i < kd.Length; i++) kd[i] = kf[i];
        int n = src.Length;
        var x0 = ws.D0(n); var x1 = ws.D1(n);
        Load(src.Span, x0);
        CorruptionFilters.Filter2D(x0, x1, src.Width, src.Height, src.Channels, kd, kw, kw);
        Store(x1, dst.Span);
    }

    /// <summary>
    /// glass_blur: Gaussian blur (sigma), quantized to bytes, then <c>iterations</c> sweeps from the bottom-right
    /// corner in which every pixel at least max_delta + 1 from the top/left and max_delta from the bottom/right
    /// border takes the value of the pixel at a random offset in [-max_delta, max_delta)^2 (the reference's tuple
    /// "swap" on numpy rows copies rather than swaps, and this reproduces it), then the Gaussian blur again.
    /// (sigma, max_delta, iterations) = [(0.05,1,1), (0.25,1,1), (0.4,1,1), (0.25,1,2), (0.4,1,2)] (CIFAR) or
    /// [(0.7,1,2), (0.9,2,1), (1,2,3), (1.1,3,2), (1.5,4,2)] (ImageNet).
    /// </summary>
    public static void GlassBlur(ImageU8 src, ImageU8 dst, int severity, ref PixMixRandom rng, CorruptionParameterSet set)
    {
        var (sigma, delta, iterations) = Pick(set, s_glassCifar, s_glassImageNet, Check(src, dst, severity, set));
        var ws = CorruptionWorkspace.Current;
        int w = src.Width, h = src.Height, c = src.Channels, n = src.Length;
        var x = ws.D0(n);
        Load(src.Span, x);
        CorruptionFilters.GaussianFilter(x, w, h, c, sigma, 4.0, Border.Nearest, ws);
        var u8 = ws.B0(n);
        for (int i = 0; i < n; i++) u8[i] = (byte)Math.Clamp(x[i] * 255, 0, 255);
        for (int it = 0; it < iterations; it++)
            for (int yy = h - delta; yy > delta; yy--)
                for (int xx = w - delta; xx > delta; xx--)
                {
                    int dx = rng.NextInt(2 * delta) - delta, dy = rng.NextInt(2 * delta) - delta;
                    int to = (yy * w + xx) * c, from = ((yy + dy) * w + xx + dx) * c;
                    for (int k = 0; k < c; k++) u8[to + k] = u8[from + k];
                }
        Load(u8, x);
        CorruptionFilters.GaussianFilter(x, w, h, c, sigma, 4.0, Border.Nearest, ws);
        Store(x, dst.Span);
    }

    /// <summary>
    /// motion_blur: ImageMagick's motion blur (see <see cref="MotionBlur(ImageU8, ImageU8, double, double, double)"/>)
    /// at a uniform random angle in [-45, 45) degrees. (radius, sigma) = [(6,1), (6,1.5), (6,2), (8,2), (9,2.5)]
    /// (CIFAR) or [(10,3), (15,5), (15,8), (15,12), (20,15)] (ImageNet).
    /// </summary>
    public static void MotionBlur(ImageU8 src, ImageU8 dst, int severity, ref PixMixRandom rng, CorruptionParameterSet set)
    {
        var (radius, sigma) = Pick(set, s_motionCifar, s_motionImageNet, Check(src, dst, severity, set));
        double angle = rng.Uniform(-45, 45);
        MotionBlur(src, dst, radius, sigma, angle);
    }

    /// <summary>
    /// A motion blur with ImageMagick's MotionBlurImage semantics, the kernel the reference obtains through Wand:
    /// a one-sided Gaussian of 2 ceil(radius) + 1 taps (weights exp(-i^2 / (2 sigma^2)), i = 0.., normalized)
    /// laid from each pixel along <paramref name="angleDegrees"/> (0 = towards +x, 90 = towards +y), tap i
    /// reading the pixel at (ceil(i cos a - 0.5), ceil(i sin a - 0.5)) with the edge repeated; rounded to bytes.
    /// </summary>
    public static void MotionBlur(ImageU8 src, ImageU8 dst, double radius, double sigma, double angleDegrees)
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentNullException.ThrowIfNull(dst);
        ImageU8.RequireSameShape(src, dst, nameof(dst));
        if (!(radius >= 0) || double.IsInfinity(radius)) throw new ArgumentOutOfRangeException(nameof(radius), radius, "radius must be a finite number >= 0.");
        if (!(sigma > 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be a finite number > 0.");
        var ws = CorruptionWorkspace.Current;
        var copy = ws.B0(src.Length);
        src.Span.CopyTo(copy);
        CorruptionFilters.MotionBlur(copy, dst.Span, src.Width, src.Height, src.Channels, radius, sigma, angleDegrees, ws);
    }

    /// <summary>
    /// zoom_blur: the average of the image and of its centre crops enlarged by the zoom factors 1, 1.01, ...
    /// (the reference's clipped_zoom with scipy's linear zoom), in single precision as the reference.
    /// Factors: numpy arange(1, 1.06 | 1.11 | 1.16 | 1.21 | 1.26, 0.01) (CIFAR) or arange(1, 1.11, .01),
    /// arange(1, 1.16, .01), arange(1, 1.21, .02), arange(1, 1.26, .02), arange(1, 1.31, .03) (ImageNet).
    /// </summary>
    public static void ZoomBlur(ImageU8 src, ImageU8 dst, int severity, CorruptionParameterSet set)
    {
        var (count, step) = Pick(set, s_zoomCifar, s_zoomImageNet, Check(src, dst, severity, set));
        var ws = CorruptionWorkspace.Current;
        int n = src.Length;
        var xf = ws.F0(n); var acc = ws.F1(n);
        var xd = ws.D0(n); var zoomed = ws.D1(n);
        var s = src.Span;
        for (int i = 0; i < n; i++) { xf[i] = (float)(s[i] / 255.0); xd[i] = xf[i]; }
        acc.Clear();
        // numpy's arange fills start + i * delta with delta = (start + step) - start
        double delta = (1 + step) - 1;
        for (int z = 0; z < count; z++)
        {
            double factor = 1 + z * delta;
            CorruptionFilters.ClippedZoom(xd, zoomed, src.Width, src.Height, src.Channels, factor, ws);
            for (int i = 0; i < n; i++) acc[i] += (float)zoomed[i];
        }
        float div = count + 1;
        var d = dst.Span;
        for (int i = 0; i < n; i++) d[i] = ToByte((xf[i] + acc[i]) / div);
    }

    /// <summary>
    /// gaussian_blur (extra): skimage's gaussian filter (truncate 4, edge repeated) of sigma
    /// [.4, .6, .7, .8, 1] (CIFAR) or [1, 2, 3, 4, 6] (ImageNet).
    /// </summary>
    public static void GaussianBlur(ImageU8 src, ImageU8 dst, int severity, CorruptionParameterSet set)
    {
        double sigma = Pick(set, s_gaussianBlurCifar, s_gaussianBlurImageNet, Check(src, dst, severity, set));
        var ws = CorruptionWorkspace.Current;
        var x = ws.D0(src.Length);
        Load(src.Span, x);
        CorruptionFilters.GaussianFilter(x, src.Width, src.Height, src.Channels, sigma, 4.0, Border.Nearest, ws);
        Store(x, dst.Span);
    }
}
