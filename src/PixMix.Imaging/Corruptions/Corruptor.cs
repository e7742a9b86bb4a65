namespace PixMix.Imaging.Corruptions;

/// <summary>
/// The corruptions of the CIFAR-10-C / ImageNet-C robustness benchmark (Hendrycks and Dietterich, 2019): the 15
/// benchmark corruptions and the 4 extra ones, severities 1..5, with the CIFAR (32 px) or the ImageNet (224 px)
/// parameter table, on 8-bit grey or RGB images of any size.
/// </summary>
/// <remarks>
/// <para>
/// Each corruption follows the reference benchmark's algorithm: values are computed in double precision on x / 255
/// (single precision where the reference uses float32), clipped to [0, 1], scaled by 255 and truncated to bytes,
/// as the reference's final <c>np.uint8</c> does. Random draws come from <see cref="PixMixRandom"/>, so a corruption
/// is reproducible from the seed but its random fields are not numpy's.
/// </para>
/// <para>
/// Parameters are in pixels, as in the reference tables, except where the reference ties them to the image size:
/// the elastic transform's displacement, smoothness and affine jitter scale with the smaller image side (the
/// reference's 32 for CIFAR and 224 for ImageNet), the fog fractal covers the image (a power-of-two map of at least
/// the larger side), the frost photograph is scaled relative to the image, pixelate and zoom blur act on the
/// image's own size, and the glass blur visits every pixel away from the border.
/// </para>
/// <para>
/// Grey images: corruptions acting on each channel alone (noises, blurs, fog, contrast, elastic, pixelate, JPEG)
/// run on the single channel; snow uses the image itself as its grey version; brightness, saturate, frost and
/// spatter, which depend on colour, run on the grey image repeated into R, G and B and return the result's luma
/// (0.299 R + 0.587 G + 0.114 B, rounded).
/// </para>
/// <para>
/// The source and destination may be the same image. All methods are thread-safe: scratch
/// buffers are per thread and reused, so the steady state allocates nothing (except the JPEG codec's buffers).
/// </para>
/// </remarks>
public static partial class Corruptor
{
    /// <summary>The smallest severity, 1.</summary>
    public const int MinSeverity = 1;
    /// <summary>The largest severity, 5.</summary>
    public const int MaxSeverity = 5;

    /// <summary>Applies <paramref name="kind"/> at <paramref name="severity"/> (1..5) with parameter table <paramref name="set"/>; frost uses <see cref="FrostTextures.Default"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">severity is outside 1..5, or kind or set is unknown.</exception>
    /// <exception cref="ArgumentException">dst does not have src's shape.</exception>
    public static void Apply(CorruptionKind kind, int severity, ImageU8 src, ImageU8 dst, ref PixMixRandom rng, CorruptionParameterSet set)
        => Apply(kind, severity, src, dst, ref rng, set, FrostTextures.Default);

    /// <summary>Applies <paramref name="kind"/> with the parameter table chosen by <see cref="CorruptionParameterSets.ForSize"/> from the image size.</summary>
    public static void Apply(CorruptionKind kind, int severity, ImageU8 src, ImageU8 dst, ref PixMixRandom rng)
    {
        ArgumentNullException.ThrowIfNull(src);
        Apply(kind, severity, src, dst, ref rng, CorruptionParameterSets.ForImage(src), FrostTextures.Default);
    }

    /// <summary>Applies <paramref name="kind"/>; frost draws from <paramref name="frost"/>.</summary>
    public static void Apply(CorruptionKind kind, int severity, ImageU8 src, ImageU8 dst, ref PixMixRandom rng, CorruptionParameterSet set, FrostTextures frost)
    {
        switch (kind)
        {
            case CorruptionKind.GaussianNoise: GaussianNoise(src, dst, severity, ref rng, set); break;
            case CorruptionKind.ShotNoise: ShotNoise(src, dst, severity, ref rng, set); break;
            case CorruptionKind.ImpulseNoise: ImpulseNoise(src, dst, severity, ref rng, set); break;
            case CorruptionKind.DefocusBlur: DefocusBlur(src, dst, severity, set); break;
            case CorruptionKind.GlassBlur: GlassBlur(src, dst, severity, ref rng, set); break;
            case CorruptionKind.MotionBlur: MotionBlur(src, dst, severity, ref rng, set); break;
            case CorruptionKind.ZoomBlur: ZoomBlur(src, dst, severity, set); break;
            case CorruptionKind.Snow: Snow(src, dst, severity, ref rng, set); break;
            case CorruptionKind.Frost: Frost(src, dst, severity, ref rng, set, frost); break;
            case CorruptionKind.Fog: Fog(src, dst, severity, ref rng, set); break;
            case CorruptionKind.Brightness: Brightness(src, dst, severity, set); break;
            case CorruptionKind.Contrast: Contrast(src, dst, severity, set); break;
            case CorruptionKind.ElasticTransform: ElasticTransform(src, dst, severity, ref rng, set); break;
            case CorruptionKind.Pixelate: Pixelate(src, dst, severity, set); break;
            case CorruptionKind.JpegCompression: JpegCompression(src, dst, severity, set); break;
            case CorruptionKind.SpeckleNoise: SpeckleNoise(src, dst, severity, ref rng, set); break;
            case CorruptionKind.GaussianBlur: GaussianBlur(src, dst, severity, set); break;
            case CorruptionKind.Spatter: Spatter(src, dst, severity, ref rng, set); break;
            case CorruptionKind.Saturate: Saturate(src, dst, severity, set); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "kind is not a known corruption.");
        }
    }

    /// <summary>Whether <paramref name="kind"/> draws random numbers (false for the deterministic ones: defocus, zoom and Gaussian blur, brightness, contrast, saturate, pixelate, JPEG).</summary>
    public static bool IsRandom(CorruptionKind kind) => kind switch
    {
        CorruptionKind.DefocusBlur or CorruptionKind.ZoomBlur or CorruptionKind.GaussianBlur or CorruptionKind.Brightness
            or CorruptionKind.Contrast or CorruptionKind.Saturate or CorruptionKind.Pixelate or CorruptionKind.JpegCompression => false,
        _ => true,
    };

    /// <summary>Validates the common arguments and returns the index 0..4 of the severity.</summary>
    private static int Check(ImageU8 src, ImageU8 dst, int severity, CorruptionParameterSet set)
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentNullException.ThrowIfNull(dst);
        if (severity < MinSeverity || severity > MaxSeverity)
            throw new ArgumentOutOfRangeException(nameof(severity), severity, $"severity must be in the range {MinSeverity}..{MaxSeverity}.");
        if (set != CorruptionParameterSet.Cifar && set != CorruptionParameterSet.ImageNet)
            throw new ArgumentOutOfRangeException(nameof(set), set, "set must be Cifar or ImageNet.");
        ImageU8.RequireSameShape(src, dst, nameof(dst));
        return severity - 1;
    }

    private static T Pick<T>(CorruptionParameterSet set, T[] cifar, T[] imageNet, int index)
        => set == CorruptionParameterSet.Cifar ? cifar[index] : imageNet[index];

    /// <summary>x / 255 in double precision.</summary>
    private static void Load(ReadOnlySpan<byte> src, Span<double> dst)
    {
        for (int i = 0; i < src.Length; i++) dst[i] = src[i] / 255.0;
    }

    /// <summary>The reference's np.uint8(np.clip(x, 0, 1) * 255): clip, scale, truncate.</summary>
    private static void Store(ReadOnlySpan<double> src, Span<byte> dst)
    {
        for (int i = 0; i < dst.Length; i++) dst[i] = ToByte(src[i]);
    }

    private static byte ToByte(double v)
    {
        double c = v < 0 ? 0 : v > 1 ? 1 : v;
        return (byte)(c * 255);
    }

    private static byte ToByte(float v)
    {
        float c = v < 0 ? 0 : v > 1 ? 1 : v;
        return (byte)(c * 255f);
    }

    internal static void GreyToRgb(ImageU8 grey, ImageU8 rgb)
    {
        var g = grey.Span; var o = rgb.Span;
        for (int i = 0; i < g.Length; i++) { byte v = g[i]; o[3 * i] = v; o[3 * i + 1] = v; o[3 * i + 2] = v; }
    }

    internal static void RgbToGrey(ImageU8 rgb, ImageU8 grey)
    {
        var s = rgb.Span; var g = grey.Span;
        for (int i = 0; i < g.Length; i++)
            g[i] = (byte)Math.Clamp(Math.Round(0.299 * s[3 * i] + 0.587 * s[3 * i + 1] + 0.114 * s[3 * i + 2], MidpointRounding.AwayFromZero), 0, 255);
    }
}
