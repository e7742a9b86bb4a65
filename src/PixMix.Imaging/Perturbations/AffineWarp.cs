using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PixMix.Imaging.Ops;

namespace PixMix.Imaging.Perturbations;

/// <summary>
/// The affine frames of rotate, shear, scale and zoom_blur: torchvision's affine of the benchmark's time, which is
/// PIL's affine transform with its bilinear filter (<see cref="AugmentOps.AffineTransform"/>). Where each output pixel
/// samples depends only on the size and the frame, so for images up to 128x128 pixels the sample points are computed
/// once per size (<see cref="Tap"/>: the offset of the upper-left neighbour in a
/// <see cref="WarpSource"/> padded with its edge pixels, and the two fractions); per pixel there remain PIL's three
/// blends <c>a + (b - a) t</c> in double precision, truncated, exactly as PIL computes them.
/// </summary>
internal static class AffineWarp
{
    /// <summary>One output pixel: the upper-left neighbour's offset in the padded source and the fractions along x and y.</summary>
    internal struct Tap
    {
        public double Dx, Dy;
        public int Offset;
    }

    /// <summary>Images up to this many pixels keep all their frames' taps (24 bytes a pixel a frame); larger ones are transformed frame by frame.</summary>
    private const int CachedPixels = 128 * 128;

    private static readonly ConcurrentDictionary<(PerturbationKind, int, int, int), Tap[][]> s_cached = new();

    /// <summary>
    /// Writes frame <paramref name="frame"/> of <paramref name="kind"/> for <paramref name="image"/> into
    /// <paramref name="dst"/>: from the cached taps and <paramref name="padded"/> (the image padded with its edge
    /// pixels, <see cref="WarpSource.Pad"/>), or for large images through <paramref name="scratch"/> (same shape).
    /// </summary>
    public static void Frame(PerturbationKind kind, int frame, ImageU8 image, ReadOnlySpan<byte> padded, ImageU8 scratch, Span<byte> dst)
    {
        int w = image.Width, h = image.Height, c = image.Channels;
        if (w * h > CachedPixels)
        {
            var m = Matrix(kind, frame, w, h);
            AugmentOps.AffineTransform(image, scratch, m.A0, m.A1, m.A2, m.A3, m.A4, m.A5);
            scratch.Span.CopyTo(dst);
            return;
        }
        var taps = s_cached.GetOrAdd((kind, w, h, c), key =>
        {
            var frames = new Tap[PerturbationNames.FrameCount(key.Item1)][];
            for (int i = 0; i < frames.Length; i++) Build(key.Item1, i, key.Item2, key.Item3, key.Item4, frames[i] = new Tap[key.Item2 * key.Item3]);
            return frames;
        })[frame];
        Apply(taps, padded, w, c, dst);
    }

    /// <summary>
    /// The inverse matrix of frame i: a rotation by i - 15 degrees (clockwise), a shear of i - 15 degrees, or a zoom by
    /// (2 i + 70) / 100 (scale) or 1 + 0.004 i (zoom_blur), about (w / 2 + 0.5, h / 2 + 0.5), in torchvision's order.
    /// </summary>
    private static (double A0, double A1, double A2, double A3, double A4, double A5) Matrix(PerturbationKind kind, int i, int w, int h)
    {
        (double angle, double scale, double shear) = kind switch
        {
            PerturbationKind.Rotate => (i - 15.0, 1.0, 0.0),
            PerturbationKind.Shear => (0.0, 1.0, i - 15.0),
            PerturbationKind.Scale => (0.0, (i * 2 + 70) / 100.0, 0.0),
            PerturbationKind.ZoomBlur => (0.0, 1 + 0.004 * i, 0.0),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "kind is not an affine perturbation."),
        };
        double cx = w * 0.5 + 0.5, cy = h * 0.5 + 0.5;
        double a = angle * Math.PI / 180, sh = shear * Math.PI / 180, inv = 1.0 / scale;
        double d = Math.Cos(a + sh) * Math.Cos(a) + Math.Sin(a + sh) * Math.Sin(a);
        double m0 = inv / d * Math.Cos(a + sh), m1 = inv / d * Math.Sin(a + sh), m2 = 0;
        double m3 = inv / d * -Math.Sin(a), m4 = inv / d * Math.Cos(a), m5 = 0;
        m2 += m0 * -cx + m1 * -cy;
        m5 += m3 * -cx + m4 * -cy;
        m2 += cx;
        m5 += cy;
        return (m0, m1, m2, m3, m4, m5);
    }

    /// <summary>
    /// PIL's sample point of output (x, y): (a0 (x + .5) + a1 (y + .5) + a2, a3 (x + .5) + a4 (y + .5) + a5), in PIL's
    /// order of operations; outside [0, w) x [0, h) it gives 0 (the tap points at the zeros), otherwise it is shifted by
    /// -0.5 and split into the floor (-1 .. w - 1: the padding stands for PIL's clamped indices) and the fraction.
    /// </summary>
    private static void Build(PerturbationKind kind, int frame, int w, int h, int c, Span<Tap> taps)
    {
        var m = Matrix(kind, frame, w, h);
        int zero = WarpSource.ZeroOffset(w, h, c);
        for (int y = 0; y < h; y++)
        {
            double yin = y + 0.5, rowX = m.A1 * yin, rowY = m.A4 * yin;
            for (int x = 0; x < w; x++)
            {
                double xin = x + 0.5;
                double xx = m.A0 * xin + rowX + m.A2;
                double yy = m.A3 * xin + rowY + m.A5;
                ref var tap = ref taps[y * w + x];
                if (!(xx >= 0.0 && xx < w && yy >= 0.0 && yy < h))
                {
                    tap = new Tap { Offset = zero };
                    continue;
                }
                xx -= 0.5;
                yy -= 0.5;
                int xi = (int)Math.Floor(xx), yi = (int)Math.Floor(yy);
                tap = new Tap { Dx = xx - xi, Dy = yy - yi, Offset = WarpSource.Offset(xi, yi, w, c) };
            }
        }
    }

    /// <summary>
    /// Writes one frame: output pixel p blends the padded source's pixels at <c>taps[p].Offset</c> and one pixel to the
    /// right with Dx, the same one row below, then the two with Dy (PIL's order, double precision), truncated. Where
    /// PIL clamps an index to the edge, the padding holds the edge pixel, so the blend of the two equal values is the
    /// value PIL keeps.
    /// </summary>
    private static unsafe void Apply(ReadOnlySpan<Tap> taps, ReadOnlySpan<byte> padded, int w, int c, Span<byte> dst)
    {
        int n = taps.Length, stride = WarpSource.Stride(w, c);
        if (dst.Length < n * c) throw new ArgumentException("dst is shorter than the frame.", nameof(dst));
        fixed (Tap* tp = taps)
        fixed (byte* sp = padded, dp = dst)
        {
            int p = 0;
            if (c == 3 && Avx2.IsSupported)
            {
                // Four-byte stores write one byte of the next pixel, which that pixel then overwrites; the last pixel stores three.
                for (; p < n - 1; p++)
                    *(uint*)(dp + p * 3) = Pack(Blend(sp + tp[p].Offset, stride, tp[p].Dx, tp[p].Dy));
                if (p < n)
                {
                    uint last = Pack(Blend(sp + tp[p].Offset, stride, tp[p].Dx, tp[p].Dy));
                    *(ushort*)(dp + p * 3) = (ushort)last;
                    dp[p * 3 + 2] = (byte)(last >> 16);
                }
                return;
            }
            for (; p < n; p++)
            {
                byte* s = sp + tp[p].Offset, o = dp + p * c;
                double dx = tp[p].Dx, dy = tp[p].Dy;
                for (int k = 0; k < c; k++)
                {
                    int p0 = s[k], q0 = s[stride + k];
                    double v1 = p0 + (s[c + k] - p0) * dx;
                    double v2 = q0 + (s[stride + c + k] - q0) * dx;
                    o[k] = (byte)(int)(v1 + (v2 - v1) * dy);
                }
            }
        }
    }

    /// <summary>The three channels of one RGB pixel (and a fourth lane) blended in double precision, as the scalar loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<double> Blend(byte* s, int stride, double dx, double dy)
    {
        var fx = Vector256.Create(dx);
        var tl = Load4(s);
        var bl = Load4(s + stride);
        var v1 = tl + (Load4(s + 3) - tl) * fx;
        var v2 = bl + (Load4(s + stride + 3) - bl) * fx;
        return v1 + (v2 - v1) * Vector256.Create(dy);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<double> Load4(byte* p) => Avx.ConvertToVector256Double(Sse41.ConvertToVector128Int32(p));

    /// <summary>The four lanes (in [0, 255]) truncated to bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Pack(Vector256<double> v)
    {
        var i = Avx.ConvertToVector128Int32WithTruncation(v);
        var shorts = Sse2.PackSignedSaturate(i, i);
        return Sse2.PackUnsignedSaturate(shorts, shorts).AsUInt32().ToScalar();
    }
}
