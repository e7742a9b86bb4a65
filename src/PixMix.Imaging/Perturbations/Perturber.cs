using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using PixMix.Imaging.Corruptions;
using PixMix.Imaging.Ops;

namespace PixMix.Imaging.Perturbations;

/// <summary>
/// Makes the perturbation sequences of the CIFAR-10-P consistency benchmark (Hendrycks and Dietterich, 2019) from one
/// image: all the frames of one sequence, one after the other (HWC bytes each).
/// </summary>
/// <remarks>
/// <para>
/// Frame i (0-based) of each perturbation, with the parameters of the benchmark's CIFAR generator:
/// gaussian_noise: frame 0 the clean image x, frames 1..30 clip(x + sigma N(0, 1)) of x, sigma 0.02 (levels 2, 3: 0.04, 0.06);
/// shot_noise: frame 0 x, then Poisson(c x) / c, c = 700 (400, 200);
/// speckle_noise: frame 0 x, then clip(x + x sigma N(0, 1)), sigma 0.05 (0.07, 0.1);
/// motion_blur (21 frames): the -C motion blur (ImageMagick semantics) of radius 6, sigma 1.8, angle (i - 20) 9 degrees;
/// zoom_blur: frame 0 x, frame i the running mean of x and its zooms by 1 + 0.004 j, j = 1..i (affine, bilinear, centre kept);
/// snow: the -C snow layer drawn once (N(0.05, 0.3), zoom 2, threshold 0.5), motion-blurred with radius 10, sigma 2,
/// angle 4 i - 150, added with its 180-degree rotation to 0.85 x + 0.15 max(x, 1.5 grey + 0.5);
/// spatter: the -C spatter's liquid layer drawn once (N(0.6, 0.265), Gaussian blur 1.75, threshold 0.7) shading water
/// drops of intensity 0.6, the layer smeared down each column by the kernel [0.2, 0.8] after each frame;
/// brightness: the -C brightness (HSV value shift) with shift (i - 15) 1.5 / 100;
/// translate (16 frames): a shift by i - 7 pixels to the right;
/// rotate: i - 15 degrees; shear: i - 15 degrees; scale: (2 i + 70) / 100 (affine transforms, bilinear, 0 outside, as
/// torchvision's affine at the benchmark's release: clockwise angles about the point (w / 2 + 0.5, h / 2 + 0.5) of
/// PIL's pixel-centre coordinates);
/// tilt: OpenCV's warpPerspective (bilinear, 1/32-pixel steps, 0 outside) by rotations of 0.75 (i - 15) degrees
/// about both axes, focal length sqrt(w^2 + h^2);
/// gaussian_blur: skimage's Gaussian filter of sigma 0.3 + 0.015 i (truncate 7, edge repeated).
/// Values are clipped to [0, 1] and truncated to bytes as the reference's <c>np.uint8</c>. The noises draw each noisy
/// byte from its exact distribution given the clean byte (tables built once per noise and level, Walker's alias method).
/// </para>
/// <para>
/// Sizes: the parameters in pixels (translation, blur radii and sigmas) are CIFAR's at 32 px and below, and scale with
/// the smaller side above it (factor min(w, h) / 32, the shift rounded to whole pixels), so a 64 px image is
/// translated by twice as many pixels; angles, zooms, brightness and noise do not depend on the size. Images must
/// be at least 8 px on each side. Grey images give grey frames: each channel-wise perturbation runs on the single
/// channel, snow uses the image as its grey version, brightness and spatter run on the image repeated into RGB and
/// return the luma, as the -C corruptions do.
/// </para>
/// <para>Random draws come from the given <see cref="PixMixRandom"/>; thread-safe (per-thread scratch), allocation-free in the steady state.</para>
/// </remarks>
public static class Perturber
{
    /// <summary>The smallest image side accepted.</summary>
    public const int MinSize = 8;

    /// <summary>The factor of the parameters in pixels: max(1, min(w, h) / 32).</summary>
    public static double PixelScale(int width, int height) => Math.Max(1.0, Math.Min(width, height) / 32.0);

    /// <summary>
    /// Writes the <see cref="PerturbationNames.FrameCount"/> frames of <paramref name="spec"/> for <paramref name="image"/>
    /// into <paramref name="frames"/> (frame after frame, each of <c>image.Length</c> bytes).
    /// </summary>
    /// <exception cref="ArgumentException">frames is too short, or the image is smaller than <see cref="MinSize"/>.</exception>
    public static void Generate(PerturbationSpec spec, ImageU8 image, Span<byte> frames, ref PixMixRandom rng)
    {
        ArgumentNullException.ThrowIfNull(image);
        PerturbationNames.CheckLevel(spec.Kind, spec.Level);
        int count = spec.FrameCount, n = image.Length;
        if (image.Width < MinSize || image.Height < MinSize)
            throw new ArgumentException($"Perturbation sequences need images of at least {MinSize}x{MinSize} px; this one is {image.Width}x{image.Height}.", nameof(image));
        if (frames.Length < (long)count * n)
            throw new ArgumentException($"{spec.Name} writes {count} frames of {n} bytes; the destination holds {frames.Length} bytes.", nameof(frames));
        var ws = Workspace.For(image);
        var cws = CorruptionWorkspace.Current;
        double s = PixelScale(image.Width, image.Height);
        switch (spec.Kind)
        {
            case PerturbationKind.GaussianNoise or PerturbationKind.ShotNoise or PerturbationKind.SpeckleNoise:
                Noise(image, frames, count, NoiseTables.For(spec.Kind, spec.Level), ref rng);
                break;
            case PerturbationKind.MotionBlur:
                for (int i = 0; i < count; i++)
                    CorruptionFilters.MotionBlur(image.Span, Frame(frames, i, n), image.Width, image.Height, image.Channels, 6 * s, 1.8 * s, (i - 20) * 9.0, cws);
                break;
            case PerturbationKind.ZoomBlur: ZoomBlur(image, frames, count, ws); break;
            case PerturbationKind.Snow: Snow(image, frames, count, s, ref rng, ws, cws); break;
            case PerturbationKind.Spatter: Spatter(image, frames, count, s, ref rng, ws, cws); break;
            case PerturbationKind.Brightness:
                for (int i = 0; i < count; i++) { Corruptor.BrightnessShift(image, ws.Scratch, (i - 15) * 1.5 / 100.0); ws.Scratch.Span.CopyTo(Frame(frames, i, n)); }
                break;
            case PerturbationKind.Translate:
                for (int i = 0; i < count; i++)
                {
                    int shift = (int)Math.Round((i - 7) * s, MidpointRounding.AwayFromZero);
                    AugmentOps.TranslateX(image, ws.Scratch, -shift);
                    ws.Scratch.Span.CopyTo(Frame(frames, i, n));
                }
                break;
            case PerturbationKind.Rotate or PerturbationKind.Shear or PerturbationKind.Scale:
                WarpSource.Pad(image, ws.Padded, repeatEdge: true);
                for (int i = 0; i < count; i++)
                    AffineWarp.Frame(spec.Kind, i, image, ws.Padded, ws.Scratch, Frame(frames, i, n));
                break;
            case PerturbationKind.Tilt:
                WarpSource.Pad(image, ws.Padded, repeatEdge: false);
                for (int i = 0; i < count; i++)
                    TiltWarp.Apply(TiltWarp.Taps(i, image.Width, image.Height, image.Channels), ws.Padded, image.Width, image.Channels, Frame(frames, i, n));
                break;
            case PerturbationKind.GaussianBlur:
                for (int i = 0; i < count; i++)
                {
                    var x = ws.Values;
                    var src = image.Span;
                    for (int k = 0; k < n; k++) x[k] = src[k] / 255.0;
                    CorruptionFilters.GaussianFilter(x, image.Width, image.Height, image.Channels, (0.3 + 0.015 * i) * s, 7.0, Border.Nearest, cws);
                    var f = Frame(frames, i, n);
                    for (int k = 0; k < n; k++) f[k] = ToByte(x[k]);
                }
                break;
            default: throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "kind is not a known perturbation.");
        }
    }

    private static Span<byte> Frame(Span<byte> frames, int i, int n) => frames.Slice(i * n, n);

    private static byte ToByte(double v) => (byte)((v < 0 ? 0 : v > 1 ? 1 : v) * 255);

    private static void Noise(ImageU8 image, Span<byte> frames, int count, NoiseTables table, ref PixMixRandom rng)
    {
        int n = image.Length;
        image.Span.CopyTo(frames);
        table.Sample(image.Span, frames[n..(count * n)], count - 1, ref rng);
    }

    private static void ZoomBlur(ImageU8 image, Span<byte> frames, int count, Workspace ws)
    {
        int n = image.Length;
        var acc = ws.Accumulator;
        var x = image.Span;
        for (int k = 0; k < n; k++) acc[k] = x[k] / 255f;
        x.CopyTo(frames);
        WarpSource.Pad(image, ws.Padded, repeatEdge: true);
        for (int i = 1; i < count; i++)
        {
            AffineWarp.Frame(PerturbationKind.ZoomBlur, i, image, ws.Padded, ws.Scratch, ws.Scratch.Span);
            var z = ws.Scratch.Span;
            var f = Frame(frames, i, n);
            float div = i + 1;
            for (int k = 0; k < n; k++)
            {
                acc[k] += z[k] / 255f;
                f[k] = (byte)(acc[k] / div * 255f);
            }
        }
    }

    private static void Snow(ImageU8 image, Span<byte> frames, int count, double s, ref PixMixRandom rng, Workspace ws, CorruptionWorkspace cws)
    {
        int w = image.Width, h = image.Height, pixels = w * h;
        var flakes = ws.Flakes; var blurred = ws.Blurred;
        Corruptor.SnowFlakes(flakes, w, h, 0.05, 0.3, 2, 0.5, ref rng, cws);
        for (int i = 0; i < count; i++)
        {
            CorruptionFilters.MotionBlur(flakes, blurred, w, h, 1, 10 * s, 2 * s, i * 4 - 150, cws);
            Corruptor.SnowBlend(image, ws.Scratch, blurred.AsSpan(0, pixels), 0.85);
            ws.Scratch.Span.CopyTo(Frame(frames, i, image.Length));
        }
    }

    private static void Spatter(ImageU8 image, Span<byte> frames, int count, double s, ref PixMixRandom rng, Workspace ws, CorruptionWorkspace cws)
    {
        int w = image.Width, h = image.Height;
        var layer = ws.Layer;
        Corruptor.SpatterLiquid(layer, w, h, 0.6, 0.265, 1.75 * s, 0.7, ref rng, cws);
        bool grey = image.Channels == 1;
        if (grey) Corruptor.GreyToRgb(image, ws.RgbIn);
        for (int i = 0; i < count; i++)
        {
            if (grey)
            {
                Corruptor.SpatterWater(ws.RgbIn.Span, ws.RgbOut.Span, w, h, layer, 0.6, cws);
                Corruptor.RgbToGrey(ws.RgbOut, ws.Scratch);
                ws.Scratch.Span.CopyTo(Frame(frames, i, image.Length));
            }
            else Corruptor.SpatterWater(image.Span, Frame(frames, i, image.Length), w, h, layer, 0.6, cws);
            SmearDown(layer, w);
        }
    }

    /// <summary>
    /// numpy's convolve(column, [0.2, 0.8], 'same') down every column: row y becomes 0.2 row y + 0.8 row y - 1 (0 above
    /// the top). From the last pixel back, so that every pixel reads the row above before it changes; four at a time
    /// where vectors are fast (w &gt;= 4), with the same two products and sum per pixel.
    /// </summary>
    private static void SmearDown(double[] layer, int w)
    {
        int k = layer.Length, v = Vector256<double>.Count;
        if (Vector256.IsHardwareAccelerated && w >= v)
        {
            ref double l = ref MemoryMarshal.GetArrayDataReference(layer);
            var a = Vector256.Create(0.2); var b = Vector256.Create(0.8);
            for (; k - v >= w; k -= v)
            {
                nuint at = (nuint)(k - v);
                (a * Vector256.LoadUnsafe(ref l, at) + b * Vector256.LoadUnsafe(ref l, at - (nuint)w)).StoreUnsafe(ref l, at);
            }
        }
        for (k--; k >= w; k--) layer[k] = 0.2 * layer[k] + 0.8 * layer[k - w];
        for (int x = 0; x < w; x++) layer[x] *= 0.2;
    }

    /// <summary>Per-thread scratch of one image shape.</summary>
    private sealed class Workspace
    {
        [ThreadStatic] private static Workspace? t_current;

        private Workspace(int w, int h, int c)
        {
            Width = w; Height = h; Channels = c;
            Scratch = new ImageU8(w, h, c);
            RgbIn = new ImageU8(w, h, 3);
            RgbOut = new ImageU8(w, h, 3);
            Accumulator = new float[w * h * c];
            Values = new double[w * h * c];
            Layer = new double[w * h];
            Flakes = new byte[w * h];
            Blurred = new byte[w * h];
            Padded = new byte[WarpSource.Length(w, h, c)];
        }

        public static Workspace For(ImageU8 image)
        {
            var ws = t_current;
            if (ws is null || ws.Width != image.Width || ws.Height != image.Height || ws.Channels != image.Channels)
                t_current = ws = new Workspace(image.Width, image.Height, image.Channels);
            return ws;
        }

        public int Width { get; }
        public int Height { get; }
        public int Channels { get; }
        public ImageU8 Scratch { get; }
        public ImageU8 RgbIn { get; }
        public ImageU8 RgbOut { get; }
        public float[] Accumulator { get; }
        public double[] Values { get; }
        public double[] Layer { get; }
        public byte[] Flakes { get; }
        public byte[] Blurred { get; }
        public byte[] Padded { get; }
    }
}
