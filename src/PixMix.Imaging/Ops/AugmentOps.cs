using System.Runtime.CompilerServices;

namespace PixMix.Imaging.Ops;

/// <summary>
/// The PixMix augmentation operations, bit-exact with the PIL (Pillow 9.4) functions the reference calls:
/// <c>ImageOps.autocontrast/equalize/posterize/solarize</c>, <c>Image.rotate</c> and <c>Image.transform(AFFINE)</c>
/// with bilinear resampling and fill 0, and <c>ImageEnhance.Color/Contrast/Brightness/Sharpness</c>.
/// </summary>
/// <remarks>
/// <para>Every operation reads an 8-bit image (RGB or grey) and writes an image of the same shape; the source and
/// destination must be distinct images. No operation allocates.</para>
/// <para>Two families of overloads exist. The deterministic ones take the operation's own parameter (bits, degrees,
/// threshold, shear, pixels, factor). The sampling ones take the reference's <c>level</c> (its severity) and a
/// random stream and draw the parameter exactly as the reference does: <c>l ~ U(0.1, level)</c>, then
/// <c>int_parameter(l, max) = trunc(l * max / 10)</c> or <c>float_parameter(l, max) = l * max / 10</c>, then a
/// random sign (negate with probability 0.5) for rotate, shear and translate.</para>
/// <para>Exactness: the kernels repeat PIL's arithmetic operation for operation (double precision for the affine
/// coordinates and bilinear blends, single precision for the blends of ImageEnhance and the SMOOTH filter, PIL's
/// fixed-point RGB to L conversion and integer table construction). The AVX2 paths perform the same IEEE operations
/// per lane in the same order (no fused multiply-add), so their results equal the scalar paths'; the one exception,
/// autocontrast's single-precision mapping of large images, is used only after checking that it gives PIL's table
/// for all 256 values of every channel.</para>
/// </remarks>
public static partial class AugmentOps
{
    /// <summary>Applies <paramref name="op"/> with its parameter sampled from <paramref name="level"/> (the reference's severity: level ~ U(0.1, severity)).</summary>
    /// <param name="op">The operation.</param>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image: same shape as <paramref name="src"/>, a different image.</param>
    /// <param name="level">The severity (finite, at least 0).</param>
    /// <param name="rng">The random stream; <see cref="PixMixOp.AutoContrast"/> and <see cref="PixMixOp.Equalize"/> draw nothing from it.</param>
    public static void Apply(PixMixOp op, ImageU8 src, ImageU8 dst, double level, ref PixMixRandom rng)
    {
        CheckLevel(level);
        switch (op)
        {
            case PixMixOp.AutoContrast: AutoContrast(src, dst); break;
            case PixMixOp.Equalize: Equalize(src, dst); break;
            case PixMixOp.Posterize: Posterize(src, dst, level, ref rng); break;
            case PixMixOp.Rotate: Rotate(src, dst, level, ref rng); break;
            case PixMixOp.Solarize: Solarize(src, dst, level, ref rng); break;
            case PixMixOp.ShearX: ShearX(src, dst, level, ref rng); break;
            case PixMixOp.ShearY: ShearY(src, dst, level, ref rng); break;
            case PixMixOp.TranslateX: TranslateX(src, dst, level, ref rng); break;
            case PixMixOp.TranslateY: TranslateY(src, dst, level, ref rng); break;
            case PixMixOp.Color: Color(src, dst, level, ref rng); break;
            case PixMixOp.Contrast: Contrast(src, dst, level, ref rng); break;
            case PixMixOp.Brightness: Brightness(src, dst, level, ref rng); break;
            case PixMixOp.Sharpness: Sharpness(src, dst, level, ref rng); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "op must be one of the PixMixOp values.");
        }
    }

    /// <summary>
    /// Draws the parameter of <paramref name="op"/> exactly as the sampling overloads do (same random draws, same
    /// order), without touching an image.
    /// </summary>
    /// <param name="op">The operation.</param>
    /// <param name="level">The severity (finite, at least 0).</param>
    /// <param name="width">The image width (translate_x uses width / 3 as its maximum shift).</param>
    /// <param name="height">The image height (translate_y uses height / 3 as its maximum shift).</param>
    /// <param name="rng">The random stream.</param>
    /// <returns>
    /// Posterize: the bits kept (0..4 for levels up to 10; clamped to 0, which PIL's result equals for negative bits);
    /// Rotate: degrees (an integer, either sign); Solarize: the threshold (clamped to 0..256, PIL's result being the
    /// same); ShearX/ShearY: the shear; TranslateX/TranslateY: the shift in pixels (an integer, either sign);
    /// Color/Contrast/Brightness/Sharpness: the enhancement factor; AutoContrast/Equalize: 0 (they draw nothing).
    /// </returns>
    public static double SampleParameter(PixMixOp op, double level, int width, int height, ref PixMixRandom rng)
    {
        switch (op)
        {
            case PixMixOp.AutoContrast:
            case PixMixOp.Equalize:
                CheckLevel(level);
                return 0;
            case PixMixOp.Posterize: return SamplePosterizeBits(level, ref rng);
            case PixMixOp.Rotate: return SampleRotateDegrees(level, ref rng);
            case PixMixOp.Solarize: return SampleSolarizeThreshold(level, ref rng);
            case PixMixOp.ShearX:
            case PixMixOp.ShearY: return SampleShear(level, ref rng);
            case PixMixOp.TranslateX:
                ArgumentOutOfRangeException.ThrowIfLessThan(width, 1, nameof(width));
                return SampleTranslatePixels(level, width, ref rng);
            case PixMixOp.TranslateY:
                ArgumentOutOfRangeException.ThrowIfLessThan(height, 1, nameof(height));
                return SampleTranslatePixels(level, height, ref rng);
            case PixMixOp.Color:
            case PixMixOp.Contrast:
            case PixMixOp.Brightness:
            case PixMixOp.Sharpness: return SampleEnhanceFactor(level, ref rng);
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "op must be one of the PixMixOp values.");
        }
    }

    // ---- sampling overloads -------------------------------------------------------------------------------------

    /// <summary>posterize: keeps <c>4 - int_parameter(l, 4)</c> bits, l ~ U(0.1, <paramref name="level"/>).</summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="level">The severity (finite, at least 0).</param>
    /// <param name="rng">The random stream.</param>
    public static void Posterize(ImageU8 src, ImageU8 dst, double level, ref PixMixRandom rng)
    {
        CheckImages(src, dst);
        PosterizeCore(src, dst, SamplePosterizeBits(level, ref rng));
    }

    /// <summary>rotate: <c>int_parameter(l, 30)</c> degrees with a random sign, l ~ U(0.1, <paramref name="level"/>).</summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="level">The severity (finite, at least 0).</param>
    /// <param name="rng">The random stream.</param>
    public static void Rotate(ImageU8 src, ImageU8 dst, double level, ref PixMixRandom rng)
    {
        CheckImages(src, dst);
        RotateCore(src, dst, SampleRotateDegrees(level, ref rng));
    }

    /// <summary>solarize: threshold <c>256 - int_parameter(l, 256)</c>, l ~ U(0.1, <paramref name="level"/>).</summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="level">The severity (finite, at least 0).</param>
    /// <param name="rng">The random stream.</param>
    public static void Solarize(ImageU8 src, ImageU8 dst, double level, ref PixMixRandom rng)
    {
        CheckImages(src, dst);
        SolarizeCore(src, dst, SampleSolarizeThreshold(level, ref rng));
    }

    /// <summary>shear_x: shear <c>float_parameter(l, 0.3)</c> with a random sign, l ~ U(0.1, <paramref name="level"/>).</summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="level">The severity (finite, at least 0).</param>
    /// <param name="rng">The random stream.</param>
    public static void ShearX(ImageU8 src, ImageU8 dst, double level, ref PixMixRandom rng)
    {
        CheckImages(src, dst);
        ShearXCore(src, dst, SampleShear(level, ref rng));
    }

    /// <summary>shear_y: shear <c>float_parameter(l, 0.3)</c> with a random sign, l ~ U(0.1, <paramref name="level"/>).</summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="level">The severity (finite, at least 0).</param>
    /// <param name="rng">The random stream.</param>
    public static void ShearY(ImageU8 src, ImageU8 dst, double level, ref PixMixRandom rng)
    {
        CheckImages(src, dst);
        ShearYCore(src, dst, SampleShear(level, ref rng));
    }

    /// <summary>translate_x: <c>int_parameter(l, width / 3)</c> pixels with a random sign, l ~ U(0.1, <paramref name="level"/>).</summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="level">The severity (finite, at least 0).</param>
    /// <param name="rng">The random stream.</param>
    public static void TranslateX(ImageU8 src, ImageU8 dst, double level, ref PixMixRandom rng)
    {
        CheckImages(src, dst);
        TranslateXCore(src, dst, SampleTranslatePixels(level, src.Width, ref rng));
    }

    /// <summary>translate_y: <c>int_parameter(l, height / 3)</c> pixels with a random sign, l ~ U(0.1, <paramref name="level"/>).</summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="level">The severity (finite, at least 0).</param>
    /// <param name="rng">The random stream.</param>
    public static void TranslateY(ImageU8 src, ImageU8 dst, double level, ref PixMixRandom rng)
    {
        CheckImages(src, dst);
        TranslateYCore(src, dst, SampleTranslatePixels(level, src.Height, ref rng));
    }

    /// <summary>color: factor <c>float_parameter(l, 1.8) + 0.1</c>, l ~ U(0.1, <paramref name="level"/>).</summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="level">The severity (finite, at least 0).</param>
    /// <param name="rng">The random stream.</param>
    public static void Color(ImageU8 src, ImageU8 dst, double level, ref PixMixRandom rng)
    {
        CheckImages(src, dst);
        ColorCore(src, dst, SampleEnhanceFactor(level, ref rng));
    }

    /// <summary>contrast: factor <c>float_parameter(l, 1.8) + 0.1</c>, l ~ U(0.1, <paramref name="level"/>).</summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="level">The severity (finite, at least 0).</param>
    /// <param name="rng">The random stream.</param>
    public static void Contrast(ImageU8 src, ImageU8 dst, double level, ref PixMixRandom rng)
    {
        CheckImages(src, dst);
        ContrastCore(src, dst, SampleEnhanceFactor(level, ref rng));
    }

    /// <summary>brightness: factor <c>float_parameter(l, 1.8) + 0.1</c>, l ~ U(0.1, <paramref name="level"/>).</summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="level">The severity (finite, at least 0).</param>
    /// <param name="rng">The random stream.</param>
    public static void Brightness(ImageU8 src, ImageU8 dst, double level, ref PixMixRandom rng)
    {
        CheckImages(src, dst);
        BrightnessCore(src, dst, SampleEnhanceFactor(level, ref rng));
    }

    /// <summary>sharpness: factor <c>float_parameter(l, 1.8) + 0.1</c>, l ~ U(0.1, <paramref name="level"/>).</summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="level">The severity (finite, at least 0).</param>
    /// <param name="rng">The random stream.</param>
    public static void Sharpness(ImageU8 src, ImageU8 dst, double level, ref PixMixRandom rng)
    {
        CheckImages(src, dst);
        SharpnessCore(src, dst, SampleEnhanceFactor(level, ref rng));
    }

    // ---- parameter sampling (the reference's sample_level / int_parameter / float_parameter) ---------------------

    private static double SampleLevel(double level, ref PixMixRandom rng)
    {
        CheckLevel(level);
        return rng.Uniform(0.1, level);
    }

    // int(level * maxval / 10): Python's int() truncates toward zero.
    private static int IntParameter(double level, double maxval) => (int)Math.Clamp(Math.Truncate(level * maxval / 10), int.MinValue / 2, int.MaxValue / 2);

    private static double FloatParameter(double level, double maxval) => level * maxval / 10.0;

    // The reference negates when np.random.uniform() > 0.5: probability one half.
    private static bool RandomSign(ref PixMixRandom rng) => rng.NextDouble() > 0.5;

    private static int SamplePosterizeBits(double level, ref PixMixRandom rng)
    {
        int bits = 4 - IntParameter(SampleLevel(level, ref rng), 4);
        // PIL keeps no bit at all for bits <= 0 (the mask clears the whole byte).
        return Math.Clamp(bits, 0, 8);
    }

    private static int SampleRotateDegrees(double level, ref PixMixRandom rng)
    {
        int degrees = IntParameter(SampleLevel(level, ref rng), 30);
        return RandomSign(ref rng) ? -degrees : degrees;
    }

    private static int SampleSolarizeThreshold(double level, ref PixMixRandom rng)
    {
        int threshold = 256 - IntParameter(SampleLevel(level, ref rng), 256);
        // A threshold below 0 inverts every value, as 0 does; above 256 none, as 256 does.
        return Math.Clamp(threshold, 0, 256);
    }

    private static double SampleShear(double level, ref PixMixRandom rng)
    {
        double shear = FloatParameter(SampleLevel(level, ref rng), 0.3);
        return RandomSign(ref rng) ? -shear : shear;
    }

    private static int SampleTranslatePixels(double level, int size, ref PixMixRandom rng)
    {
        int pixels = IntParameter(SampleLevel(level, ref rng), size / 3.0);
        return RandomSign(ref rng) ? -pixels : pixels;
    }

    private static double SampleEnhanceFactor(double level, ref PixMixRandom rng) => FloatParameter(SampleLevel(level, ref rng), 1.8) + 0.1;

    // ---- validation ---------------------------------------------------------------------------------------------

    private static void CheckLevel(double level)
    {
        if (!double.IsFinite(level) || level < 0)
            throw new ArgumentOutOfRangeException(nameof(level), level, "level (the severity) must be a finite number >= 0.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckImages(ImageU8 src, ImageU8 dst)
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentNullException.ThrowIfNull(dst);
        if (ReferenceEquals(src.Data, dst.Data))
            throw new ArgumentException("dst must be a different image from src (the operations do not work in place).", nameof(dst));
        ImageU8.RequireSameShape(src, dst, nameof(dst));
    }

    private static void CheckFactor(double factor)
    {
        if (!double.IsFinite(factor) || factor < 0)
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must be a finite number >= 0 (0 gives the degenerate image, 1 the original).");
    }
}
