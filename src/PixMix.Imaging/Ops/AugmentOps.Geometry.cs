using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PixMix.Imaging.Ops;

// The geometric operations: PIL's Image.rotate and Image.transform(AFFINE, BILINEAR) with fill 0.
public static partial class AugmentOps
{
    /// <summary>
    /// Rotates counter-clockwise about the image centre, <c>Image.rotate(degrees, resample=BILINEAR)</c>: the same
    /// size, bilinear, 0 outside. Like PIL, 0 and 180 degrees (and 90/270 on square images) are exact pixel
    /// permutations; other angles use PIL's inverse affine matrix (cos/sin rounded to 15 decimals).
    /// </summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="degrees">The angle in degrees (finite; counter-clockwise when positive).</param>
    public static void Rotate(ImageU8 src, ImageU8 dst, double degrees)
    {
        CheckImages(src, dst);
        if (!double.IsFinite(degrees))
            throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "degrees must be a finite number.");
        RotateCore(src, dst, degrees);
    }

    /// <summary>
    /// Horizontal shear, <c>image.transform(size, AFFINE, (1, shear, 0, 0, 1, 0), BILINEAR)</c>: output pixel
    /// (x, y) samples the input at (x + shear * y, y) (pixel centres), 0 outside.
    /// </summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="shear">The shear (finite).</param>
    public static void ShearX(ImageU8 src, ImageU8 dst, double shear)
    {
        CheckImages(src, dst);
        if (!double.IsFinite(shear))
            throw new ArgumentOutOfRangeException(nameof(shear), shear, "shear must be a finite number.");
        ShearXCore(src, dst, shear);
    }

    /// <summary>
    /// Vertical shear, <c>image.transform(size, AFFINE, (1, 0, 0, shear, 1, 0), BILINEAR)</c>: output pixel
    /// (x, y) samples the input at (x, shear * x + y) (pixel centres), 0 outside.
    /// </summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="shear">The shear (finite).</param>
    public static void ShearY(ImageU8 src, ImageU8 dst, double shear)
    {
        CheckImages(src, dst);
        if (!double.IsFinite(shear))
            throw new ArgumentOutOfRangeException(nameof(shear), shear, "shear must be a finite number.");
        ShearYCore(src, dst, shear);
    }

    /// <summary>
    /// Horizontal shift, <c>image.transform(size, AFFINE, (1, 0, pixels, 0, 1, 0), BILINEAR)</c>: output pixel
    /// (x, y) is input pixel (x + pixels, y), 0 where that is outside.
    /// </summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="pixels">The shift; positive moves the content left.</param>
    public static void TranslateX(ImageU8 src, ImageU8 dst, int pixels)
    {
        CheckImages(src, dst);
        TranslateXCore(src, dst, pixels);
    }

    /// <summary>
    /// Vertical shift, <c>image.transform(size, AFFINE, (1, 0, 0, 0, 1, pixels), BILINEAR)</c>: output pixel
    /// (x, y) is input pixel (x, y + pixels), 0 where that is outside.
    /// </summary>
    /// <param name="src">The input image.</param>
    /// <param name="dst">The output image (same shape, a different image).</param>
    /// <param name="pixels">The shift; positive moves the content up.</param>
    public static void TranslateY(ImageU8 src, ImageU8 dst, int pixels)
    {
        CheckImages(src, dst);
        TranslateYCore(src, dst, pixels);
    }

    /// <summary>
    /// PIL's <c>Image.transform(size, AFFINE, (a0, a1, a2, a3, a4, a5), BILINEAR)</c> with fill 0: output pixel (x, y)
    /// samples the input at (a0 (x+.5) + a1 (y+.5) + a2, a3 (x+.5) + a4 (y+.5) + a5).
    /// </summary>
    internal static void AffineTransform(ImageU8 src, ImageU8 dst, double a0, double a1, double a2, double a3, double a4, double a5)
    {
        CheckImages(src, dst);
        AffineBilinear(src, dst, a0, a1, a2, a3, a4, a5);
    }

    private static void RotateCore(ImageU8 src, ImageU8 dst, double degrees)
    {
        // Python: angle = angle % 360.0 (the result takes the sign of the divisor).
        double angle = degrees % 360.0;
        if (angle < 0) angle += 360.0;
        if (angle == 0)
        {
            src.CopyTo(dst);
            return;
        }
        if (angle == 180)
        {
            Rotate180(src, dst);
            return;
        }
        if ((angle == 90 || angle == 270) && src.Width == src.Height)
        {
            RotateQuarter(src, dst, counterClockwise: angle == 90);
            return;
        }

        int w = src.Width, h = src.Height;
        double cx = w / 2.0, cy = h / 2.0;
        RotationMatrix(angle, out double a, out double b, out double d, out double e);
        // The translation that keeps the centre in place, evaluated in PIL's order.
        double c = a * -cx + b * -cy + 0.0;
        double f = d * -cx + e * -cy + 0.0;
        c += cx;
        f += cy;
        AffineBilinear(src, dst, a, b, c, d, e, f);
    }

    /// <summary>
    /// PIL's affine bilinear with the matrix (1, shear, 0, 0, 1, 0): the sample point of output (x, y) is
    /// (x + 0.5 + shear (y + 0.5), y + 0.5), so the vertical fraction is 0 and only the horizontal blend of row y
    /// remains (PIL's vertical step, v1 + (v2 - v1) * 0, returns v1 unchanged).
    /// </summary>
    private static unsafe void ShearXCore(ImageU8 src, ImageU8 dst, double shear)
    {
        int w = src.Width, h = src.Height, stride = src.Stride;
        bool vector = Avx2.IsSupported && src.Channels == 3;
        fixed (byte* sp = src.Data, dp = dst.Data)
        {
            for (int y = 0; y < h; y++)
            {
                double rowX = shear * (y + 0.5);
                int x = vector ? ShearXRow4(src, sp, dp, y, rowX) : 0;
                ShearXSpan(src, sp, dp, y, rowX, x, w);
            }
        }
    }

    /// <summary>Output pixels [<paramref name="from"/>, <paramref name="to"/>) of row y of <see cref="ShearXCore"/>, one at a time.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void ShearXSpan(ImageU8 src, byte* sp, byte* dp, int y, double rowX, int from, int to)
    {
        int w = src.Width, channels = src.Channels, stride = src.Stride;
        double width = w;
        bool vector = Avx2.IsSupported && channels == 3;
        int safe = src.Length - 4;
        byte* row = sp + y * stride, o = dp + y * stride + from * channels;
        for (int x = from; x < to; x++, o += channels)
        {
            double xx = (x + 0.5) + rowX;
            if (!(xx >= 0.0 && xx < width))
            {
                for (int c = 0; c < channels; c++) o[c] = 0;
                continue;
            }
            xx -= 0.5;
            int xi = (int)Math.Floor(xx);
            double dx = xx - xi;
            byte* p0 = row + (xi < 0 ? 0 : xi) * channels;
            byte* p1 = row + (xi + 1 >= w ? w - 1 : xi + 1) * channels;
            LerpPixel(o, p0, p1, dx, channels, vector && (int)(p1 - sp) <= safe);
        }
    }

    /// <summary>
    /// One output pixel blended between the pixels at <paramref name="p"/> and <paramref name="q"/> by
    /// <paramref name="t"/> as PIL does it (a + (b - a) t, truncated); with <paramref name="fourBytes"/> the three
    /// channels go through one vector (the caller checked that four bytes may be read at both).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void LerpPixel(byte* o, byte* p, byte* q, double t, int channels, bool fourBytes)
    {
        if (fourBytes)
        {
            Store3(o, Lerp(Load4(p), Load4(q), t));
            return;
        }
        for (int c = 0; c < channels; c++)
        {
            int a = p[c];
            o[c] = (byte)(int)(a + (q[c] - a) * t);
        }
    }

    /// <summary>
    /// <see cref="ShearXSpan"/> for the RGB row y four pixels at a time (AVX2) where the four sample points have
    /// consecutive unclamped left neighbours ti .. ti + 3: the neighbours are then the twelve bytes at pixel ti
    /// and the twelve at ti + 1, blended with the same double-precision coordinates and fractions per pixel.
    /// Other groups go through <see cref="ShearXSpan"/>. Returns the first x left (the row's last w % 4 pixels).
    /// </summary>
    private static unsafe int ShearXRow4(ImageU8 src, byte* sp, byte* dp, int y, double rowX)
    {
        int w = src.Width, stride = src.Stride;
        byte* row = sp + y * stride, o = dp + y * stride;
        var vRow = Vector256.Create(rowX);
        var half = Vector256.Create(0.5);
        var lanes = Vector256.Create(0.5, 1.5, 2.5, 3.5);
        var steps = Vector256.Create(0.0, 1.0, 2.0, 3.0);
        int x = 0;
        for (; x + 4 <= w; x += 4)
        {
            // xx = (x + 0.5) + shear (y + 0.5), then xx - 0.5, as ShearXSpan computes them.
            var xx = Vector256.Create((double)x) + lanes + vRow;
            var t = xx - half;
            var ft = Avx.Floor(t);
            double f0 = ft.ToScalar();
            // 0 <= ti and ti + 4 <= w - 1 imply that every point is inside.
            if (f0 >= 0 && f0 + 4 < w && Avx.MoveMask(Avx.CompareEqual(ft, Vector256.Create(f0) + steps)) == 0xF)
            {
                byte* a = row + (int)f0 * 3;
                LerpPixels4(a, a + 3, t - ft, o + x * 3);
                continue;
            }
            if (Avx.MoveMask(Avx.CompareGreaterThanOrEqual(xx, Vector256<double>.Zero) & Avx.CompareLessThan(xx, Vector256.Create((double)w))) == 0)
            {
                *(ulong*)(o + x * 3) = 0;
                *(uint*)(o + x * 3 + 8) = 0;
                continue;
            }
            ShearXSpan(src, sp, dp, y, rowX, x, x + 4);
        }
        return x;
    }

    /// <summary>
    /// PIL's affine bilinear with the matrix (1, 0, 0, shear, 1, 0): the sample point of output (x, y) is
    /// (x + 0.5, shear (x + 0.5) + y + 0.5), so the horizontal fraction is 0 and only the vertical blend of
    /// column x remains.
    /// </summary>
    private static unsafe void ShearYCore(ImageU8 src, ImageU8 dst, double shear)
    {
        int w = src.Width, h = src.Height;
        bool vector = Avx2.IsSupported && src.Channels == 3;
        fixed (byte* sp = src.Data, dp = dst.Data)
        {
            for (int y = 0; y < h; y++)
            {
                int x = vector ? ShearYRow4(src, sp, dp, y, shear) : 0;
                ShearYSpan(src, sp, dp, y, shear, x, w);
            }
        }
    }

    /// <summary>Output pixels [<paramref name="from"/>, <paramref name="to"/>) of row y of <see cref="ShearYCore"/>, one at a time.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void ShearYSpan(ImageU8 src, byte* sp, byte* dp, int y, double shear, int from, int to)
    {
        int h = src.Height, channels = src.Channels, stride = src.Stride;
        double height = h, yin = y + 0.5;
        bool vector = Avx2.IsSupported && channels == 3;
        int safe = src.Length - 4;
        byte* o = dp + y * stride + from * channels;
        for (int x = from; x < to; x++, o += channels)
        {
            double yy = shear * (x + 0.5) + yin;
            if (!(yy >= 0.0 && yy < height))
            {
                for (int c = 0; c < channels; c++) o[c] = 0;
                continue;
            }
            yy -= 0.5;
            int yi = (int)Math.Floor(yy);
            double dy = yy - yi;
            byte* p = sp + (yi < 0 ? 0 : yi) * stride + x * channels;
            // The row below, or the same row again at the bottom edge.
            byte* q = yi + 1 < h ? sp + (yi + 1) * stride + x * channels : p;
            LerpPixel(o, p, q, dy, channels, vector && (int)(q - sp) <= safe);
        }
    }

    /// <summary>
    /// <see cref="ShearYSpan"/> for the RGB row y four pixels at a time (AVX2) where every sample point has an
    /// unclamped row above and below: when the four share the upper row, their neighbours are twelve consecutive
    /// bytes in each of the two rows; otherwise each pixel is blended on its own. Same double-precision
    /// coordinates and fractions per pixel. Other groups go through <see cref="ShearYSpan"/>.
    /// </summary>
    private static unsafe int ShearYRow4(ImageU8 src, byte* sp, byte* dp, int y, double shear)
    {
        int w = src.Width, h = src.Height, stride = src.Stride;
        // The per-pixel path reads four bytes at the fourth pixel of the lower row.
        int safe = src.Length - 4;
        byte* o = dp + y * stride;
        var vShear = Vector256.Create(shear);
        var vRow = Vector256.Create(y + 0.5);
        var half = Vector256.Create(0.5);
        var lanes = Vector256.Create(0.5, 1.5, 2.5, 3.5);
        var zero = Vector256<double>.Zero;
        var last = Vector256.Create(h - 2.0);
        int x = 0;
        for (; x + 4 <= w; x += 4)
        {
            // yy = shear (x + 0.5) + (y + 0.5), then yy - 0.5, as ShearYSpan computes them.
            var yy = vShear * (Vector256.Create((double)x) + lanes) + vRow;
            var t = yy - half;
            var ft = Avx.Floor(t);
            // 0 <= ti <= h - 2 for all four (which implies that every point is inside).
            if (Avx.MoveMask(Avx.CompareGreaterThanOrEqual(ft, zero) & Avx.CompareLessThanOrEqual(ft, last)) == 0xF)
            {
                double f0 = ft.ToScalar();
                if (Avx.MoveMask(Avx.CompareEqual(ft, Vector256.Create(f0))) == 0xF)
                {
                    byte* a = sp + (int)f0 * stride + x * 3;
                    LerpPixels4(a, a + stride, t - ft, o + x * 3);
                    continue;
                }
                var rows = Avx.ConvertToVector128Int32WithTruncation(ft) * stride + Vector128.Create(x * 3, x * 3 + 3, x * 3 + 6, x * 3 + 9);
                // Only the fourth pixel can be the image's last, whose four-byte read of the row below is checked.
                if (rows.GetElement(3) + stride <= safe)
                {
                    LerpEachPixel4(sp + rows.ToScalar(), sp + rows.GetElement(1), sp + rows.GetElement(2), sp + rows.GetElement(3), stride, t - ft, o + x * 3);
                    continue;
                }
            }
            else if (Avx.MoveMask(Avx.CompareGreaterThanOrEqual(yy, zero) & Avx.CompareLessThan(yy, Vector256.Create((double)h))) == 0)
            {
                *(ulong*)(o + x * 3) = 0;
                *(uint*)(o + x * 3 + 8) = 0;
                continue;
            }
            ShearYSpan(src, sp, dp, y, shear, x, x + 4);
        }
        return x;
    }

    /// <summary>
    /// PIL's rotation matrix for <paramref name="angle"/> in [0, 360): (cos, sin, -sin, cos) of -angle in radians,
    /// each rounded to 15 decimals. Whole-degree angles (the sampled ones) come from a table.
    /// </summary>
    private static void RotationMatrix(double angle, out double a, out double b, out double d, out double e)
    {
        int index = (int)angle;
        if (index == angle)
        {
            double[] table = WholeDegreeRotations.Matrices;
            a = table[4 * index];
            b = table[4 * index + 1];
            d = table[4 * index + 2];
            e = table[4 * index + 3];
            return;
        }
        ComputeRotationMatrix(angle, out a, out b, out d, out e);
    }

    private static void ComputeRotationMatrix(double angle, out double a, out double b, out double d, out double e)
    {
        double theta = -(angle * (Math.PI / 180.0));
        a = Round15(Math.Cos(theta));
        b = Round15(Math.Sin(theta));
        d = Round15(-Math.Sin(theta));
        e = Round15(Math.Cos(theta));
    }

    /// <summary>The rotation matrices of the angles 0..359 degrees, built once on first use.</summary>
    private static class WholeDegreeRotations
    {
        public static readonly double[] Matrices = Build();

        private static double[] Build()
        {
            var matrices = new double[4 * 360];
            for (int i = 0; i < 360; i++)
                ComputeRotationMatrix(i, out matrices[4 * i], out matrices[4 * i + 1], out matrices[4 * i + 2], out matrices[4 * i + 3]);
            return matrices;
        }
    }

    /// <summary>
    /// Python's <c>round(x, 15)</c>: the double nearest to x's decimal expansion correctly rounded to 15 places.
    /// </summary>
    private static double Round15(double x)
    {
        Span<char> text = stackalloc char[48];
        if (!x.TryFormat(text, out int written, "F15", CultureInfo.InvariantCulture))
            return x;
        return double.Parse(text.Slice(0, written), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// PIL's generic affine transform with its bilinear filter (Geometry.c): output pixel (x, y) maps to
    /// <c>(a0 (x+.5) + a1 (y+.5) + a2, a3 (x+.5) + a4 (y+.5) + a5)</c>; points outside [0, w) x [0, h) give 0;
    /// otherwise the point is shifted by -0.5, the four neighbours (indices clamped to the image) are blended in
    /// double precision, first along x then along y, and the result truncated.
    /// </summary>
    private static unsafe void AffineBilinear(ImageU8 src, ImageU8 dst, double a0, double a1, double a2, double a3, double a4, double a5)
    {
        int w = src.Width, h = src.Height;
        bool vector = Avx2.IsSupported && src.Channels == 3;
        var m = new AffineRow { A0 = a0, A2 = a2, A3 = a3, A5 = a5 };
        fixed (byte* sp = src.Data, dp = dst.Data)
        {
            for (int y = 0; y < h; y++)
            {
                double yin = y + 0.5;
                m.RowX = a1 * yin;
                m.RowY = a4 * yin;
                int x = vector ? AffineBilinearRow4(src, sp, dp, y, m) : 0;
                AffineBilinearSpan(src, sp, dp, y, m, x, w);
            }
        }
    }

    /// <summary>The affine coefficients of one output row: xx = (A0 (x + 0.5) + RowX) + A2, yy = (A3 (x + 0.5) + RowY) + A5.</summary>
    private struct AffineRow
    {
        public double A0, A2, A3, A5, RowX, RowY;
    }

    /// <summary>Output pixels [<paramref name="from"/>, <paramref name="to"/>) of row y of <see cref="AffineBilinear"/>, one at a time.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void AffineBilinearSpan(ImageU8 src, byte* sp, byte* dp, int y, in AffineRow m, int from, int to)
    {
        int w = src.Width, h = src.Height, channels = src.Channels, stride = src.Stride;
        double width = w, height = h;
        bool vector = Avx2.IsSupported && channels == 3;
        // Four-byte loads of an RGB pixel are safe below this address.
        int safe = src.Length - 4;
        byte* o = dp + y * stride + from * channels;
        for (int x = from; x < to; x++, o += channels)
        {
            double xin = x + 0.5;
            double xx = m.A0 * xin + m.RowX + m.A2;
            double yy = m.A3 * xin + m.RowY + m.A5;
            if (!(xx >= 0.0 && xx < width && yy >= 0.0 && yy < height))
            {
                for (int c = 0; c < channels; c++) o[c] = 0;
                continue;
            }
            xx -= 0.5;
            yy -= 0.5;
            int xi = (int)Math.Floor(xx), yi = (int)Math.Floor(yy);
            double dx = xx - xi, dy = yy - yi;
            // xi >= -1 and xi <= w - 1 here; the same for yi.
            int x0 = (xi < 0 ? 0 : xi) * channels;
            int x1 = (xi + 1 >= w ? w - 1 : xi + 1) * channels;
            byte* r0 = sp + (yi < 0 ? 0 : yi) * stride;
            if (yi + 1 < h)
            {
                byte* r1 = sp + (yi + 1) * stride;
                if (vector && (int)(r1 + x1 - sp) <= safe)
                {
                    var v1 = Lerp(Load4(r0 + x0), Load4(r0 + x1), dx);
                    var v2 = Lerp(Load4(r1 + x0), Load4(r1 + x1), dx);
                    Store3(o, Lerp(v1, v2, dy));
                    continue;
                }
                for (int c = 0; c < channels; c++)
                {
                    int p0 = r0[x0 + c], q0 = r1[x0 + c];
                    double v1 = p0 + (r0[x1 + c] - p0) * dx;
                    double v2 = q0 + (r1[x1 + c] - q0) * dx;
                    o[c] = (byte)(int)(v1 + (v2 - v1) * dy);
                }
            }
            else
            {
                for (int c = 0; c < channels; c++)
                {
                    int p0 = r0[x0 + c];
                    // The row below is outside: PIL blends the row with itself, which leaves it unchanged.
                    double v1 = p0 + (r0[x1 + c] - p0) * dx;
                    o[c] = (byte)(int)v1;
                }
            }
        }
    }

    /// <summary>
    /// <see cref="AffineBilinearSpan"/> for the RGB row y four pixels at a time (AVX2) where all four neighbours of
    /// every sample point lie inside the image, unclamped: pixel k then blends the two pixels at its base and the
    /// two one row below, with the same double-precision coordinates, floors, fractions and blends. Other groups
    /// go through <see cref="AffineBilinearSpan"/>. Returns the first x left (the row's last w % 4 pixels).
    /// </summary>
    private static unsafe int AffineBilinearRow4(ImageU8 src, byte* sp, byte* dp, int y, in AffineRow m)
    {
        int w = src.Width, h = src.Height, stride = src.Stride;
        byte* o = dp + y * stride;
        var va0 = Vector256.Create(m.A0);
        var va3 = Vector256.Create(m.A3);
        var vrowX = Vector256.Create(m.RowX);
        var vrowY = Vector256.Create(m.RowY);
        var va2 = Vector256.Create(m.A2);
        var va5 = Vector256.Create(m.A5);
        var half = Vector256.Create(0.5);
        var zero = Vector256<double>.Zero;
        var wLast = Vector256.Create(w - 2.0);
        var hLast = Vector256.Create(h - 2.0);
        var vStride = Vector256.Create((double)stride);
        // BilinearEachPixel4 reads four bytes at base + stride + 3.
        var baseLimit = Vector256.Create((double)(src.Length - 4 - stride - 3));
        int x = 0;
        for (; x + 4 <= w; x += 4)
        {
            // (a0 * xin + rowX) + a2, as the scalar loop and PIL compute it.
            var xin = Vector256.Create((double)x) + Vector256.Create(0.5, 1.5, 2.5, 3.5);
            var xx = va0 * xin + vrowX + va2;
            var yy = va3 * xin + vrowY + va5;
            var sx = xx - half;
            var sy = yy - half;
            var fx = Avx.Floor(sx);
            var fy = Avx.Floor(sy);
            var baseD = fy * vStride + fx * Vector256.Create(3.0);
            // 0 <= floor <= size - 2 in both directions (which implies that the point is inside).
            var fast = Avx.CompareGreaterThanOrEqual(fx, zero) & Avx.CompareLessThanOrEqual(fx, wLast)
                     & Avx.CompareGreaterThanOrEqual(fy, zero) & Avx.CompareLessThanOrEqual(fy, hLast)
                     & Avx.CompareLessThanOrEqual(baseD, baseLimit);
            if (Avx.MoveMask(fast) == 0xF)
            {
                var bases = Avx.ConvertToVector128Int32WithTruncation(baseD);
                BilinearEachPixel4(sp + bases.ToScalar(), sp + bases.GetElement(1), sp + bases.GetElement(2), sp + bases.GetElement(3),
                    stride, sx - fx, sy - fy, o + x * 3);
                continue;
            }
            var inside = Avx.CompareGreaterThanOrEqual(xx, zero) & Avx.CompareLessThan(xx, Vector256.Create((double)w))
                       & Avx.CompareGreaterThanOrEqual(yy, zero) & Avx.CompareLessThan(yy, Vector256.Create((double)h));
            if (Avx.MoveMask(inside) == 0)
            {
                *(ulong*)(o + x * 3) = 0;
                *(uint*)(o + x * 3 + 8) = 0;
                continue;
            }
            AffineBilinearSpan(src, sp, dp, y, m, x, x + 4);
        }
        return x;
    }

    /// <summary>
    /// Four RGB pixels of PIL's one-dimensional bilinear blend: value k of the output is
    /// <c>a[k] + (b[k] - a[k]) * frac[k / 3]</c> in double precision, truncated (a and b point at twelve bytes each).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void LerpPixels4(byte* a, byte* b, Vector256<double> frac, byte* o)
    {
        // The fractions per value: pixel 0 0 0 1 | 1 1 2 2 | 2 3 3 3.
        var f0 = Avx2.Permute4x64(frac, 0b01_00_00_00);
        var f1 = Avx2.Permute4x64(frac, 0b10_10_01_01);
        var f2 = Avx2.Permute4x64(frac, 0b11_11_11_10);
        var t0 = Avx.ConvertToVector128Int32WithTruncation(Lerp(Load4(a), Load4(b), f0));
        var t1 = Avx.ConvertToVector128Int32WithTruncation(Lerp(Load4(a + 4), Load4(b + 4), f1));
        var t2 = Avx.ConvertToVector128Int32WithTruncation(Lerp(Load4(a + 8), Load4(b + 8), f2));
        var bytes = Sse2.PackUnsignedSaturate(Sse2.PackSignedSaturate(t0, t1), Sse2.PackSignedSaturate(t2, t2)).AsUInt32();
        *(ulong*)o = bytes.AsUInt64().ToScalar();
        *(uint*)(o + 8) = bytes.GetElement(2);
    }

    /// <summary>
    /// Four RGB pixels of PIL's one-dimensional bilinear blend, pixel k between <c>p[k]</c> and <c>p[k] + step</c>
    /// with fraction <c>frac[k]</c>, in double precision, truncated. Reads four bytes at each pixel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void LerpEachPixel4(byte* p0, byte* p1, byte* p2, byte* p3, int step, Vector256<double> frac, byte* o)
    {
        var t0 = Avx.ConvertToVector128Int32WithTruncation(Lerp(Load4(p0), Load4(p0 + step), Avx2.Permute4x64(frac, 0b00_00_00_00)));
        var t1 = Avx.ConvertToVector128Int32WithTruncation(Lerp(Load4(p1), Load4(p1 + step), Avx2.Permute4x64(frac, 0b01_01_01_01)));
        var t2 = Avx.ConvertToVector128Int32WithTruncation(Lerp(Load4(p2), Load4(p2 + step), Avx2.Permute4x64(frac, 0b10_10_10_10)));
        var t3 = Avx.ConvertToVector128Int32WithTruncation(Lerp(Load4(p3), Load4(p3 + step), Avx2.Permute4x64(frac, 0b11_11_11_11)));
        var bytes = Sse2.PackUnsignedSaturate(Sse2.PackSignedSaturate(t0, t1), Sse2.PackSignedSaturate(t2, t3));
        // Drop the fourth byte of every pixel.
        var packed = Ssse3.Shuffle(bytes, Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80)).AsUInt32();
        *(ulong*)o = packed.AsUInt64().ToScalar();
        *(uint*)(o + 8) = packed.GetElement(2);
    }

    /// <summary>
    /// Four RGB pixels of PIL's two-dimensional bilinear blend: pixel k blends the pixels at <c>p[k]</c>,
    /// <c>p[k] + 3</c> with <c>dx[k]</c>, the same one row below, then the two results with <c>dy[k]</c>, in
    /// double precision (PIL's order), truncated. Reads four bytes at each pixel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void BilinearEachPixel4(byte* p0, byte* p1, byte* p2, byte* p3, int stride,
        Vector256<double> dx, Vector256<double> dy, byte* o)
    {
        var t0 = Avx.ConvertToVector128Int32WithTruncation(BilinearPixel(p0, stride, Avx2.Permute4x64(dx, 0b00_00_00_00), Avx2.Permute4x64(dy, 0b00_00_00_00)));
        var t1 = Avx.ConvertToVector128Int32WithTruncation(BilinearPixel(p1, stride, Avx2.Permute4x64(dx, 0b01_01_01_01), Avx2.Permute4x64(dy, 0b01_01_01_01)));
        var t2 = Avx.ConvertToVector128Int32WithTruncation(BilinearPixel(p2, stride, Avx2.Permute4x64(dx, 0b10_10_10_10), Avx2.Permute4x64(dy, 0b10_10_10_10)));
        var t3 = Avx.ConvertToVector128Int32WithTruncation(BilinearPixel(p3, stride, Avx2.Permute4x64(dx, 0b11_11_11_11), Avx2.Permute4x64(dy, 0b11_11_11_11)));
        var bytes = Sse2.PackUnsignedSaturate(Sse2.PackSignedSaturate(t0, t1), Sse2.PackSignedSaturate(t2, t3));
        // Drop the fourth byte of every pixel.
        var packed = Ssse3.Shuffle(bytes, Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80)).AsUInt32();
        *(ulong*)o = packed.AsUInt64().ToScalar();
        *(uint*)(o + 8) = packed.GetElement(2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<double> BilinearPixel(byte* p, int stride, Vector256<double> dx, Vector256<double> dy)
        => Lerp(Lerp(Load4(p), Load4(p + 3), dx), Lerp(Load4(p + stride), Load4(p + stride + 3), dx), dy);

    /// <summary>PIL's BILINEAR macro per lane with a fraction per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Lerp(Vector256<double> a, Vector256<double> b, Vector256<double> d) => a + (b - a) * d;

    /// <summary>The four bytes at <paramref name="p"/> (an RGB pixel and one more) as doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<double> Load4(byte* p) => Avx.ConvertToVector256Double(Sse41.ConvertToVector128Int32(p));

    /// <summary>PIL's BILINEAR macro per lane: <c>a + (b - a) * d</c> in double precision (b - a is an exact integer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Lerp(Vector256<double> a, Vector256<double> b, double d) => a + (b - a) * Vector256.Create(d);

    /// <summary>Truncates the first three lanes (in [0, 255]) and stores them as an RGB pixel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store3(byte* o, Vector256<double> v)
    {
        var i = Avx.ConvertToVector128Int32WithTruncation(v);
        var shorts = Sse2.PackSignedSaturate(i, i);
        uint bytes = Sse2.PackUnsignedSaturate(shorts, shorts).AsUInt32().ToScalar();
        *(ushort*)o = (ushort)bytes;
        o[2] = (byte)(bytes >> 16);
    }

    private static void TranslateXCore(ImageU8 src, ImageU8 dst, int pixels)
    {
        // With an integer shift PIL's bilinear filter samples pixel centres exactly (fractions 0), so the
        // transform is a plain shift: output x takes input x + pixels when 0 <= x + pixels < w.
        int w = src.Width, h = src.Height, channels = src.Channels, stride = w * channels;
        ReadOnlySpan<byte> s = src.Span;
        Span<byte> d = dst.Span;
        long start = Math.Clamp(-(long)pixels, 0, w), end = Math.Clamp(w - (long)pixels, 0, w);
        int x0 = (int)start, count = (int)Math.Max(0, end - start);
        for (int y = 0; y < h; y++)
        {
            Span<byte> row = d.Slice(y * stride, stride);
            row.Slice(0, x0 * channels).Clear();
            if (count > 0)
                s.Slice(y * stride + (x0 + pixels) * channels, count * channels).CopyTo(row.Slice(x0 * channels));
            row.Slice((x0 + count) * channels).Clear();
        }
    }

    private static void TranslateYCore(ImageU8 src, ImageU8 dst, int pixels)
    {
        int h = src.Height, stride = src.Stride;
        ReadOnlySpan<byte> s = src.Span;
        Span<byte> d = dst.Span;
        for (int y = 0; y < h; y++)
        {
            long sy = (long)y + pixels;
            Span<byte> row = d.Slice(y * stride, stride);
            if (sy >= 0 && sy < h) s.Slice((int)sy * stride, stride).CopyTo(row);
            else row.Clear();
        }
    }

    private static void Rotate180(ImageU8 src, ImageU8 dst)
    {
        ReadOnlySpan<byte> s = src.Span;
        Span<byte> d = dst.Span;
        int channels = src.Channels, n = src.Width * src.Height;
        for (int i = 0, j = (n - 1) * channels; i < n * channels; i += channels, j -= channels)
            for (int c = 0; c < channels; c++) d[i + c] = s[j + c];
    }

    /// <summary>PIL's ROTATE_90 (counter-clockwise) or ROTATE_270 transpose of a square image.</summary>
    private static void RotateQuarter(ImageU8 src, ImageU8 dst, bool counterClockwise)
    {
        ReadOnlySpan<byte> s = src.Span;
        Span<byte> d = dst.Span;
        int n = src.Width, channels = src.Channels;
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++)
            {
                // Counter-clockwise: output (x, y) is input (n-1-y, x); clockwise: input (y, n-1-x).
                int sx = counterClockwise ? n - 1 - y : y;
                int sy = counterClockwise ? x : n - 1 - x;
                int o = (y * n + x) * channels, i = (sy * n + sx) * channels;
                for (int c = 0; c < channels; c++) d[o + c] = s[i + c];
            }
        }
    }
}
