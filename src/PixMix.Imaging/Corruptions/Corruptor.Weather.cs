using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PixMix.Imaging.Corruptions;

public static partial class Corruptor
{
    private static readonly (double Loc, double Scale, double Zoom, double Threshold, double Radius, double Sigma, double Blend)[] s_snowCifar =
    [
        (0.1, 0.2, 1, 0.6, 8, 3, 0.95), (0.1, 0.2, 1, 0.5, 10, 4, 0.9), (0.15, 0.3, 1.75, 0.55, 10, 4, 0.9),
        (0.25, 0.3, 2.25, 0.6, 12, 6, 0.85), (0.3, 0.3, 1.25, 0.65, 14, 12, 0.8),
    ];
    private static readonly (double Loc, double Scale, double Zoom, double Threshold, double Radius, double Sigma, double Blend)[] s_snowImageNet =
    [
        (0.1, 0.3, 3, 0.5, 10, 4, 0.8), (0.2, 0.3, 2, 0.5, 12, 4, 0.7), (0.55, 0.3, 4, 0.9, 12, 8, 0.7),
        (0.55, 0.3, 4.5, 0.85, 12, 8, 0.65), (0.55, 0.3, 2.5, 0.85, 12, 12, 0.55),
    ];
    private static readonly (double Image, double Frost)[] s_frostCifar = [(1, 0.2), (1, 0.3), (0.9, 0.4), (0.85, 0.4), (0.75, 0.45)];
    private static readonly (double Image, double Frost)[] s_frostImageNet = [(1, 0.4), (0.8, 0.6), (0.7, 0.7), (0.65, 0.7), (0.6, 0.75)];
    private static readonly (double Strength, double Decay)[] s_fogCifar = [(0.2, 3), (0.5, 3), (0.75, 2.5), (1, 2), (1.5, 1.75)];
    private static readonly (double Strength, double Decay)[] s_fogImageNet = [(1.5, 2), (2, 2), (2.5, 1.7), (2.5, 1.5), (3, 1.4)];
    private static readonly (double Loc, double Scale, double Sigma, double Threshold, double Intensity, bool Mud)[] s_spatterCifar =
    [
        (0.62, 0.1, 0.7, 0.7, 0.5, false), (0.65, 0.1, 0.8, 0.7, 0.5, false), (0.65, 0.3, 1, 0.69, 0.5, false),
        (0.65, 0.1, 0.7, 0.69, 0.6, true), (0.65, 0.1, 0.5, 0.68, 0.6, true),
    ];
    private static readonly (double Loc, double Scale, double Sigma, double Threshold, double Intensity, bool Mud)[] s_spatterImageNet =
    [
        (0.65, 0.3, 4, 0.69, 0.6, false), (0.65, 0.3, 3, 0.68, 0.6, false), (0.65, 0.3, 2, 0.68, 0.5, false),
        (0.65, 0.3, 1, 0.65, 1.5, true), (0.67, 0.4, 1, 0.65, 1.5, true),
    ];

    /// <summary>
    /// snow: a layer of N(loc, scale) noise, centre-zoomed, thresholded, motion-blurred (ImageMagick semantics) at a
    /// random angle in [-135, -45) degrees, added twice (as is and turned by 180 degrees) to the image lightened as
    /// blend x + (1 - blend) max(x, 1.5 grey + 0.5). (loc, scale, zoom, threshold, radius, sigma, blend) per the
    /// reference tables (CIFAR: (0.1,0.2,1,0.6,8,3,0.95) ... (0.3,0.3,1.25,0.65,14,12,0.8); ImageNet:
    /// (0.1,0.3,3,0.5,10,4,0.8) ... (0.55,0.3,2.5,0.85,12,12,0.55)).
    /// </summary>
    public static void Snow(ImageU8 src, ImageU8 dst, int severity, ref PixMixRandom rng, CorruptionParameterSet set)
    {
        var p = Pick(set, s_snowCifar, s_snowImageNet, Check(src, dst, severity, set));
        var ws = CorruptionWorkspace.Current;
        int w = src.Width, h = src.Height, pixels = w * h;
        var flakes = ws.B0(pixels); var blurred = ws.B1(pixels);
        SnowFlakes(flakes, w, h, p.Loc, p.Scale, p.Zoom, p.Threshold, ref rng, ws);
        double angle = rng.Uniform(-135, -45);
        CorruptionFilters.MotionBlur(flakes, blurred, w, h, 1, p.Radius, p.Sigma, angle, ws);
        SnowBlend(src, dst, blurred, p.Blend);
    }

    /// <summary>
    /// The snow layer before its motion blur: N(loc, scale) per pixel, centre-zoomed by <paramref name="zoom"/>, values
    /// below <paramref name="threshold"/> set to 0, clipped to [0, 1] and truncated to bytes (w x h, one channel).
    /// Uses the workspace's D0 and D1.
    /// </summary>
    internal static void SnowFlakes(Span<byte> flakes, int w, int h, double loc, double scale, double zoom, double threshold, ref PixMixRandom rng, CorruptionWorkspace ws)
    {
        int pixels = w * h;
        var layer = ws.D0(pixels); var zoomed = ws.D1(pixels);
        var normal = new NormalPairs();
        for (int i = 0; i < pixels; i++) layer[i] = loc + scale * normal.Next(ref rng);
        CorruptionFilters.ClippedZoom(layer, zoomed, w, h, 1, zoom, ws);
        for (int i = 0; i < pixels; i++)
        {
            double v = zoomed[i] < threshold ? 0 : zoomed[i];
            flakes[i] = (byte)(Math.Clamp(v, 0, 1) * 255);
        }
    }

    /// <summary>
    /// Adds the blurred snow layer, as is and turned by 180 degrees, to the image lightened as
    /// blend x + (1 - blend) max(x, 1.5 grey + 0.5); clipped and truncated to bytes.
    /// </summary>
    internal static void SnowBlend(ImageU8 src, ImageU8 dst, ReadOnlySpan<byte> blurred, double blendWeight)
    {
        int w = src.Width, h = src.Height, ch = src.Channels;
        float blend = (float)blendWeight, rest = (float)(1 - blendWeight);
        var s = src.Span; var d = dst.Span;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                double snow = blurred[i] / 255.0 + blurred[(h - 1 - y) * w + (w - 1 - x)] / 255.0;
                int o = i * ch;
                float grey;
                if (ch == 3) grey = s[o] / 255f * 0.299f + s[o + 1] / 255f * 0.587f + s[o + 2] / 255f * 0.114f;
                else grey = s[o] / 255f;
                float light = grey * 1.5f + 0.5f;
                for (int k = 0; k < ch; k++)
                {
                    float xv = s[o + k] / 255f;
                    float mixed = blend * xv + rest * Math.Max(xv, light);
                    d[o + k] = ToByte(mixed + snow);
                }
            }
    }

    /// <summary>
    /// frost: clip(a x + b frost) with frost a random window of one of the frost pictures of <see cref="FrostTextures.Default"/>
    /// (see <see cref="Frost(ImageU8, ImageU8, int, ref PixMixRandom, CorruptionParameterSet, FrostTextures)"/>).
    /// </summary>
    public static void Frost(ImageU8 src, ImageU8 dst, int severity, ref PixMixRandom rng, CorruptionParameterSet set)
        => Frost(src, dst, severity, ref rng, set, FrostTextures.Default);

    /// <summary>
    /// frost: clip(a x + b frost, 0, 255) with frost a random window, of the image's size, of one of the 5 frost
    /// pictures of <paramref name="textures"/> picked at random and scaled by 0.2 x (larger side / 32) for CIFAR (the
    /// reference's 0.2 at 32 px) or larger side / 224 for ImageNet (unscaled at 224 px).
    /// (a, b) = [(1,.2), (1,.3), (.9,.4), (.85,.4), (.75,.45)] (CIFAR) or [(1,.4), (.8,.6), (.7,.7), (.65,.7), (.6,.75)] (ImageNet).
    /// </summary>
    public static void Frost(ImageU8 src, ImageU8 dst, int severity, ref PixMixRandom rng, CorruptionParameterSet set, FrostTextures textures)
    {
        var (a, b) = Pick(set, s_frostCifar, s_frostImageNet, Check(src, dst, severity, set));
        ArgumentNullException.ThrowIfNull(textures);
        var ws = CorruptionWorkspace.Current;
        if (src.Channels == 1)
        {
            var (rgbIn, rgbOut) = ws.RgbPair(src.Width, src.Height);
            GreyToRgb(src, rgbIn);
            FrostRgb(rgbIn, rgbOut, a, b, set, textures, ref rng, ws);
            RgbToGrey(rgbOut, dst);
        }
        else FrostRgb(src, dst, a, b, set, textures, ref rng, ws);
    }

    private static void FrostRgb(ImageU8 src, ImageU8 dst, double a, double b, CorruptionParameterSet set, FrostTextures textures, ref PixMixRandom rng, CorruptionWorkspace ws)
    {
        int w = src.Width, h = src.Height;
        double relative = Math.Max(w, h) / (double)CorruptionParameterSets.ReferenceSize(set);
        double scale = (set == CorruptionParameterSet.Cifar ? 0.2 : 1.0) * relative;
        var frost = ws.B2(w * h * 3);
        textures.SampleWindow(ref rng, scale, w, h, frost);
        var s = src.Span; var d = dst.Span;
        for (int i = 0; i < s.Length; i++) d[i] = (byte)Math.Clamp(a * s[i] + b * frost[i], 0, 255);
    }

    /// <summary>
    /// fog: adds strength x a plasma fractal (diamond-square with the given wibble decay, a power-of-two map of at
    /// least the larger side, cropped) to every channel and rescales by max / (max + strength), max being the
    /// image's largest value. (strength, decay) = [(.2,3), (.5,3), (.75,2.5), (1,2), (1.5,1.75)] (CIFAR) or
    /// [(1.5,2), (2,2), (2.5,1.7), (2.5,1.5), (3,1.4)] (ImageNet).
    /// </summary>
    public static void Fog(ImageU8 src, ImageU8 dst, int severity, ref PixMixRandom rng, CorruptionParameterSet set)
    {
        var (strength, decay) = Pick(set, s_fogCifar, s_fogImageNet, Check(src, dst, severity, set));
        int w = src.Width, h = src.Height, ch = src.Channels;
        int mapSize = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(Math.Max(w, h), 2));
        var ws = CorruptionWorkspace.Current;
        var map = ws.D0(mapSize * mapSize);
        CorruptionFilters.PlasmaFractal(map, mapSize, decay, ref rng);
        var s = src.Span; var d = dst.Span;
        byte maxByte = 0;
        foreach (byte v in s) if (v > maxByte) maxByte = v;
        double maxVal = maxByte / 255.0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double f = strength * map[y * mapSize + x];
                int o = (y * w + x) * ch;
                for (int k = 0; k < ch; k++) d[o + k] = ToByte((s[o + k] / 255.0 + f) * maxVal / (maxVal + strength));
            }
    }

    /// <summary>
    /// spatter (extra): a layer of N(loc, scale) noise blurred by a Gaussian (sigma) and thresholded gives liquid
    /// regions; for severities with water, their Canny outline, chamfer distance (capped at 20), box blurs,
    /// histogram equalization and an emboss filter shade pale turquoise drops (175, 238, 238) of the given
    /// intensity added to the image; for severities with mud, the regions blurred by a Gaussian (sigma = intensity),
    /// kept where &gt;= 0.8, blend mud brown (63, 42, 20) over the image. Parameters per the reference tables.
    /// </summary>
    public static void Spatter(ImageU8 src, ImageU8 dst, int severity, ref PixMixRandom rng, CorruptionParameterSet set)
    {
        var p = Pick(set, s_spatterCifar, s_spatterImageNet, Check(src, dst, severity, set));
        var ws = CorruptionWorkspace.Current;
        if (src.Channels == 1)
        {
            var (rgbIn, rgbOut) = ws.RgbPair(src.Width, src.Height);
            GreyToRgb(src, rgbIn);
            SpatterRgb(rgbIn, rgbOut, p.Loc, p.Scale, p.Sigma, p.Threshold, p.Intensity, p.Mud, ref rng, ws);
            RgbToGrey(rgbOut, dst);
        }
        else SpatterRgb(src, dst, p.Loc, p.Scale, p.Sigma, p.Threshold, p.Intensity, p.Mud, ref rng, ws);
    }

    private static void SpatterRgb(ImageU8 src, ImageU8 dst, double loc, double scale, double sigma, double threshold, double intensity, bool mud, ref PixMixRandom rng, CorruptionWorkspace ws)
    {
        int w = src.Width, h = src.Height, pixels = w * h;
        var layer = ws.D0(pixels);
        SpatterLiquid(layer, w, h, loc, scale, sigma, threshold, ref rng, ws);
        var s = src.Span; var d = dst.Span;
        if (!mud) SpatterWater(s, d, w, h, layer, intensity, ws);
        else
        {
            var m = ws.D1(pixels);
            for (int i = 0; i < pixels; i++) m[i] = layer[i] > threshold ? 1 : 0;
            CorruptionFilters.GaussianFilter(m, w, h, 1, intensity, 4.0, Border.Nearest, ws);
            for (int i = 0; i < pixels; i++)
            {
                double mi = m[i] < 0.8 ? 0 : m[i];
                d[3 * i] = ToByte(s[3 * i] / 255.0 * (1 - mi) + 63 / 255.0 * mi);
                d[3 * i + 1] = ToByte(s[3 * i + 1] / 255.0 * (1 - mi) + 42 / 255.0 * mi);
                d[3 * i + 2] = ToByte(s[3 * i + 2] / 255.0 * (1 - mi) + 20 / 255.0 * mi);
            }
        }
    }

    /// <summary>
    /// The spatter's liquid layer: N(loc, scale) per pixel, blurred by a Gaussian of <paramref name="sigma"/> (truncate 4,
    /// edge repeated), values below <paramref name="threshold"/> set to 0 (w x h, one channel, in place in <paramref name="layer"/>).
    /// </summary>
    internal static void SpatterLiquid(Span<double> layer, int w, int h, double loc, double scale, double sigma, double threshold, ref PixMixRandom rng, CorruptionWorkspace ws)
    {
        int pixels = w * h;
        var normal = new NormalPairs();
        for (int i = 0; i < pixels; i++) layer[i] = loc + scale * normal.Next(ref rng);
        CorruptionFilters.GaussianFilter(layer[..pixels], w, h, 1, sigma, 4.0, Border.Nearest, ws);
        for (int i = 0; i < pixels; i++) if (layer[i] < threshold) layer[i] = 0;
    }

    /// <summary>
    /// One row of the liquid as bytes, (byte)clamp(layer * 255, 0, 255), into shorts; whether any is non-zero. AVX
    /// converts four doubles at a time with the same truncation (the row's last vector overlapping when needed).
    /// </summary>
    private static bool LiquidRow(ReadOnlySpan<double> layer, Span<short> liquid)
    {
        int w = layer.Length;
        if (Avx.IsSupported && w >= 8)
        {
            ref double l = ref MemoryMarshal.GetReference(layer);
            var zero = Vector256<double>.Zero; var top = Vector256.Create(255.0); var ink = Vector128<short>.Zero;
            for (int x = 0; x < w; x += 8)
            {
                int xv = Math.Min(x, w - 8);
                var lo = Avx.ConvertToVector128Int32WithTruncation(Avx.Min(Avx.Max(Vector256.LoadUnsafe(ref l, (nuint)xv) * top, zero), top));
                var hi = Avx.ConvertToVector128Int32WithTruncation(Avx.Min(Avx.Max(Vector256.LoadUnsafe(ref l, (nuint)(xv + 4)) * top, zero), top));
                var v = Vector128.Narrow(lo, hi);
                v.StoreUnsafe(ref MemoryMarshal.GetReference(liquid), (nuint)xv);
                ink |= v;
            }
            return ink != Vector128<short>.Zero;
        }
        bool any = false;
        for (int x = 0; x < w; x++)
        {
            short v = (byte)Math.Clamp(layer[x] * 255, 0, 255);
            liquid[x] = v;
            any |= v != 0;
        }
        return any;
    }

    /// <summary>
    /// The water of spatter on an RGB image: the liquid layer's Canny outline, chamfer distance (capped at 20), box blurs,
    /// histogram equalization and emboss shade pale turquoise drops (175, 238, 238) scaled to <paramref name="intensity"/>
    /// at their maximum, added to the image (<paramref name="src"/> and <paramref name="dst"/>: w x h RGB bytes). Uses the
    /// workspace's S0..S3, B0, F0, F1, I0 and Flags (not D0..D3).
    /// </summary>
    /// <remarks>
    /// Only pixels with liquid get water: the shade is multiplied by the liquid, and x / 255 * 255 truncates back to x
    /// for every byte, so the other pixels keep their bytes; the box blur of the emboss is needed only under the liquid,
    /// where its float sum of nine bytes is their exact integer sum.
    /// </remarks>
    internal static void SpatterWater(ReadOnlySpan<byte> src, Span<byte> dst, int w, int h, ReadOnlySpan<double> layer, double intensity, CorruptionWorkspace ws)
    {
        int n = SpatterFilters.PlaneLength(w, h);
        var liquid = ws.S0(n); var gx = ws.S1(n); var gy = ws.S2(n); var mag = ws.S3(n);
        var state = ws.B0(n); var rowHasInk = ws.Flags(h);
        bool any = false;
        for (int y = 0; y < h; y++)
        {
            bool ink = LiquidRow(layer.Slice(y * w, w), liquid.Slice(SpatterFilters.Index(w, 0, y), w));
            rowHasInk[y] = ink;
            any |= ink;
        }
        src[..(3 * w * h)].CopyTo(dst);
        if (!any) return; // no liquid: no water
        SpatterFilters.FillRing(liquid, w, h, Border.Nearest);
        SpatterFilters.Canny(liquid, rowHasInk, state, w, h, 50, 150, gx, gy, mag, ws.I0(w * h));
        var dist = ws.F0(n);
        SpatterFilters.DistanceTransform(state, dist, ws.F1(w), w, h, 20f);
        var shade = gx; var emboss = gy;
        SpatterFilters.Box3ToInt(dist, shade, w, h);
        SpatterFilters.EqualizeHistogram(shade, w, h);
        SpatterFilters.EmbossFilter(shade, emboss, w, h);
        SpatterFilters.FillRing(emboss, w, h, Border.Reflect101);
        int p = SpatterFilters.Stride(w);
        float max = 0;
        for (int y = 0; y < h; y++)
            for (int i = SpatterFilters.Index(w, 0, y), end = i + w; i < end; i++)
            {
                if (liquid[i] == 0) continue;
                int sum = emboss[i - p - 1] + emboss[i - p] + emboss[i - p + 1] + emboss[i - 1] + emboss[i] + emboss[i + 1]
                    + emboss[i + p - 1] + emboss[i + p] + emboss[i + p + 1];
                float v = liquid[i] * (sum / 9f);
                dist[i] = v;
                max = Math.Max(max, v);
            }
        if (max == 0) return;
        double norm = intensity / max;
        for (int y = 0; y < h; y++)
            for (int x = 0, i = SpatterFilters.Index(w, 0, y); x < w; x++, i++)
            {
                if (liquid[i] == 0) continue;
                double m = dist[i] * norm;
                int o = 3 * (y * w + x);
                dst[o] = ToByte(src[o] / 255.0 + m * (175 / 255.0));
                dst[o + 1] = ToByte(src[o + 1] / 255.0 + m * (238 / 255.0));
                dst[o + 2] = ToByte(src[o + 2] / 255.0 + m * (238 / 255.0));
            }
    }
}
