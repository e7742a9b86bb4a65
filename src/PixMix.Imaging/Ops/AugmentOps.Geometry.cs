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
        double theta = -(angle * (Math.PI / 180.0));
        double a = Round15(Math.Cos(theta)), b = Round15(Math.Sin(theta));
        double d = Round15(-Math.Sin(theta)), e = Round15(Math.Cos(theta));
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
        int w = src.Width, h = src.Height, channels = src.Channels, stride = w * channels;
        double width = w;
        bool vector = Avx2.IsSupported && channels == 3;
        int safe = src.Data.Length - 4;
        fixed (byte* sp = src.Data, dp = dst.Data)
        {
            for (int y = 0; y < h; y++)
            {
                double rowX = shear * (y + 0.5);
                byte* row = sp + y * stride, o = dp + y * stride;
                int x = 0;
                if (vector)
                {
                    x = ShearRow4(sp, o, w, h, safe, horizontal: true, shear, rowX, y);
                    o += x * 3;
                }
                for (; x < w; x++, o += channels)
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
                    if (vector && (int)(p1 - sp) <= safe)
                    {
                        Store3(o, Lerp(Load4(p0), Load4(p1), dx));
                    }
                    else if (channels == 3)
                    {
                        int a = p0[0], b = p0[1], c = p0[2];
                        o[0] = (byte)(int)(a + (p1[0] - a) * dx);
                        o[1] = (byte)(int)(b + (p1[1] - b) * dx);
                        o[2] = (byte)(int)(c + (p1[2] - c) * dx);
                    }
                    else
                    {
                        int a = p0[0];
                        o[0] = (byte)(int)(a + (p1[0] - a) * dx);
                    }
                }
            }
        }
    }

    /// <summary>
    /// PIL's affine bilinear with the matrix (1, 0, 0, shear, 1, 0): the sample point of output (x, y) is
    /// (x + 0.5, shear (x + 0.5) + y + 0.5), so the horizontal fraction is 0 and only the vertical blend of
    /// column x remains.
    /// </summary>
    private static unsafe void ShearYCore(ImageU8 src, ImageU8 dst, double shear)
    {
        int w = src.Width, h = src.Height, channels = src.Channels, stride = w * channels;
        double height = h;
        bool vector = Avx2.IsSupported && channels == 3;
        int safe = src.Data.Length - 4;
        fixed (byte* sp = src.Data, dp = dst.Data)
        {
            for (int y = 0; y < h; y++)
            {
                double yin = y + 0.5;
                byte* o = dp + y * stride;
                int x = 0;
                if (vector)
                {
                    x = ShearRow4(sp, o, w, h, safe, horizontal: false, shear, yin, y);
                    o += x * 3;
                }
                for (; x < w; x++, o += channels)
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
                    if (vector && (int)(q - sp) <= safe)
                    {
                        Store3(o, Lerp(Load4(p), Load4(q), dy));
                    }
                    else if (channels == 3)
                    {
                        int a = p[0], b = p[1], c = p[2];
                        o[0] = (byte)(int)(a + (q[0] - a) * dy);
                        o[1] = (byte)(int)(b + (q[1] - b) * dy);
                        o[2] = (byte)(int)(c + (q[2] - c) * dy);
                    }
                    else
                    {
                        int a = p[0];
                        o[0] = (byte)(int)(a + (q[0] - a) * dy);
                    }
                }
            }
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
        int w = src.Width, h = src.Height, channels = src.Channels, stride = w * channels;
        double width = w, height = h;
        bool vector = Avx2.IsSupported && channels == 3;
        // Four-byte loads of an RGB pixel are safe below this address.
        int safe = src.Data.Length - 4;
        fixed (byte* sp = src.Data, dp = dst.Data)
        {
            for (int y = 0; y < h; y++)
            {
                double yin = y + 0.5;
                double rowX = a1 * yin, rowY = a4 * yin;
                int x = 0;
                if (vector)
                    x = AffineBilinearRow4(sp, dp + y * stride, w, h, safe, a0, a3, rowX, rowY, a2, a5);
                byte* o = dp + y * stride + x * channels;
                for (; x < w; x++, o += channels)
                {
                    double xin = x + 0.5;
                    double xx = a0 * xin + rowX + a2;
                    double yy = a3 * xin + rowY + a5;
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
        }
    }

    /// <summary>
    /// <see cref="AffineBilinear"/> for one RGB output row, four pixels at a time (AVX2): the same double-precision
    /// coordinates, floors, fractions and blends per lane; the four neighbours are gathered as 32-bit words. Returns
    /// the first x left for the scalar loop (the row's tail, or a group that would read past the source's end).
    /// </summary>
    private static unsafe int AffineBilinearRow4(byte* sp, byte* o, int w, int h, int safe,
        double a0, double a3, double rowX, double rowY, double a2, double a5)
    {
        int stride = w * 3;
        var vw = Vector256.Create((double)w);
        var vh = Vector256.Create((double)h);
        var half = Vector256.Create(0.5);
        var zero = Vector256<double>.Zero;
        var va0 = Vector256.Create(a0);
        var va3 = Vector256.Create(a3);
        var vrowX = Vector256.Create(rowX);
        var vrowY = Vector256.Create(rowY);
        var va2 = Vector256.Create(a2);
        var va5 = Vector256.Create(a5);
        var lanes = Vector256.Create(0.5, 1.5, 2.5, 3.5);
        var one = Vector128.Create(1);
        var wMax = Vector128.Create(w - 1);
        var hVec = Vector128.Create(h);
        var vStride = Vector128.Create(stride);
        var three = Vector128.Create(3);
        var safeVec = Vector128.Create(safe);
        var byteMask = Vector128.Create(0xFF);
        // Packs the low three bytes of four 32-bit words into twelve consecutive bytes.
        var pack = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80);
        int x = 0;
        for (; x + 4 <= w; x += 4)
        {
            // (a0 * xin + rowX) + a2, as the scalar loop and PIL compute it.
            var xin = Vector256.Create((double)x) + lanes;
            var xx = va0 * xin + vrowX + va2;
            var yy = va3 * xin + vrowY + va5;
            var inside = Avx.CompareGreaterThanOrEqual(xx, zero) & Avx.CompareLessThan(xx, vw)
                       & Avx.CompareGreaterThanOrEqual(yy, zero) & Avx.CompareLessThan(yy, vh);
            if (Avx.MoveMask(inside) == 0)
            {
                *(ulong*)(o + x * 3) = 0;
                *(uint*)(o + x * 3 + 8) = 0;
                continue;
            }
            xx -= half;
            yy -= half;
            // Outside lanes are sent to (0, 0) so that every index is valid; their results are zeroed below.
            var fx = Avx.And(Avx.Floor(xx), inside);
            var fy = Avx.And(Avx.Floor(yy), inside);
            var dx = xx - fx;
            var dy = yy - fy;
            var xi = Avx.ConvertToVector128Int32WithTruncation(fx);
            var yi = Avx.ConvertToVector128Int32WithTruncation(fy);
            var x0 = Sse41.Max(xi, Vector128<int>.Zero) * three;
            var x1 = Sse41.Min(xi + one, wMax) * three;
            var r0 = Sse41.Max(yi, Vector128<int>.Zero) * vStride;
            // Past the last row PIL blends the row with itself, which equals reading it twice.
            var below = yi + one;
            var r1 = Sse41.BlendVariable(r0, below * vStride, Sse2.CompareLessThan(below, hVec));
            var o11 = r1 + x1;
            if (Sse2.MoveMask(Sse2.CompareGreaterThan(o11, safeVec).AsByte()) != 0) break;
            if (Avx.MoveMask(inside) == 0xF
                && Sse2.MoveMask(Sse2.CompareEqual(x1 - x0, three).AsByte() & Sse2.CompareEqual(r1 - r0, vStride).AsByte()) == 0xFFFF)
            {
                // The common case: all four points inside, none of their neighbours clamped. Then the neighbours
                // of pixel k are the two pixels at base k and the two one row below: one pixel at a time, no gather.
                var bases = r0 + x0;
                BilinearEachPixel4(sp + bases.ToScalar(), sp + bases.GetElement(1), sp + bases.GetElement(2), sp + bases.GetElement(3),
                    stride, dx, dy, o + x * 3);
                continue;
            }
            var g00 = Avx2.GatherVector128((int*)sp, r0 + x0, 1);
            var g01 = Avx2.GatherVector128((int*)sp, r0 + x1, 1);
            var g10 = Avx2.GatherVector128((int*)sp, r1 + x0, 1);
            var g11 = Avx2.GatherVector128((int*)sp, o11, 1);
            var rgb = Vector128<int>.Zero;
            for (int c = 0; c < 3; c++)
            {
                int shift = 8 * c;
                var p00 = Avx.ConvertToVector256Double((g00 >>> shift) & byteMask);
                var p01 = Avx.ConvertToVector256Double((g01 >>> shift) & byteMask);
                var p10 = Avx.ConvertToVector256Double((g10 >>> shift) & byteMask);
                var p11 = Avx.ConvertToVector256Double((g11 >>> shift) & byteMask);
                var v1 = p00 + (p01 - p00) * dx;
                var v2 = p10 + (p11 - p10) * dx;
                var v = Avx.And(v1 + (v2 - v1) * dy, inside);
                rgb |= Avx.ConvertToVector128Int32WithTruncation(v) << shift;
            }
            var packed = Ssse3.Shuffle(rgb.AsByte(), pack).AsUInt64();
            *(ulong*)(o + x * 3) = packed.ToScalar();
            *(uint*)(o + x * 3 + 8) = packed.AsUInt32().GetElement(2);
        }
        return x;
    }

    /// <summary>
    /// One RGB output row of <see cref="ShearXCore"/> (<paramref name="horizontal"/>) or <see cref="ShearYCore"/>,
    /// four pixels at a time (AVX2) with the scalar loops' double-precision arithmetic per lane. For a horizontal
    /// shear <paramref name="rowTerm"/> is shear (y + 0.5); for a vertical one it is y + 0.5. Returns the first x
    /// left for the scalar loop.
    /// </summary>
    private static unsafe int ShearRow4(byte* sp, byte* o, int w, int h, int safe, bool horizontal, double shear, double rowTerm, int y)
    {
        int stride = w * 3;
        var size = Vector256.Create((double)(horizontal ? w : h));
        var half = Vector256.Create(0.5);
        var zero = Vector256<double>.Zero;
        var vShear = Vector256.Create(shear);
        var vRow = Vector256.Create(rowTerm);
        var lanes = Vector256.Create(0.5, 1.5, 2.5, 3.5);
        var one = Vector128.Create(1);
        var three = Vector128.Create(3);
        var last = Vector128.Create((horizontal ? w : h) - 1);
        var vStride = Vector128.Create(stride);
        var rowOffset = Vector128.Create(y * stride);
        var safeVec = Vector128.Create(safe);
        var byteMask = Vector128.Create(0xFF);
        var pack = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80);
        var lanes4 = Vector128.Create(0, 1, 2, 3);
        int x = 0;
        for (; x + 4 <= w; x += 4)
        {
            var xin = Vector256.Create((double)x) + lanes;
            // ShearX: (x + 0.5) + shear (y + 0.5); ShearY: shear (x + 0.5) + (y + 0.5).
            var t = horizontal ? xin + vRow : vShear * xin + vRow;
            var inside = Avx.CompareGreaterThanOrEqual(t, zero) & Avx.CompareLessThan(t, size);
            if (Avx.MoveMask(inside) == 0)
            {
                *(ulong*)(o + x * 3) = 0;
                *(uint*)(o + x * 3 + 8) = 0;
                continue;
            }
            t -= half;
            var ft = Avx.And(Avx.Floor(t), inside);
            var d = t - ft;
            var ti = Avx.ConvertToVector128Int32WithTruncation(ft);
            if (Avx.MoveMask(inside) == 0xF)
            {
                // The common case: all four points inside with unclamped neighbours that lie in two runs of twelve
                // consecutive bytes: pixels ti .. ti + 4 of row y (horizontal), or pixels x .. x + 3 of rows ti and
                // ti + 1 (vertical). Then the blends need no gather.
                int t0 = ti.ToScalar();
                if (horizontal)
                {
                    if (t0 >= 0 && t0 + 4 < w && Sse2.MoveMask(Sse2.CompareEqual(ti, Vector128.Create(t0) + lanes4).AsByte()) == 0xFFFF)
                    {
                        byte* a = sp + y * stride + t0 * 3;
                        LerpPixels4(a, a + 3, d, o + x * 3);
                        continue;
                    }
                }
                else if (Sse2.MoveMask(Sse2.CompareEqual(ti, Vector128.Create(t0)).AsByte()) == 0xFFFF)
                {
                    if (t0 >= 0 && t0 + 1 < h)
                    {
                        byte* a = sp + t0 * stride + x * 3;
                        LerpPixels4(a, a + stride, d, o + x * 3);
                        continue;
                    }
                }
                else if (Sse2.MoveMask(Sse2.CompareGreaterThan(ti, Vector128.Create(-1)).AsByte() & Sse2.CompareGreaterThan(Vector128.Create(h - 1), ti).AsByte()) == 0xFFFF
                    && (ti.GetElement(3) + 1) * stride + x * 3 + 9 <= safe)
                {
                    // Rows differ between the four pixels (all with a row below): one pixel at a time. Only the
                    // fourth pixel can be the image's last, whose four-byte read of the row below is checked.
                    var rows = ti * vStride + (Vector128.Create(x * 3) + Vector128.Create(0, 3, 6, 9));
                    byte* p0 = sp + rows.ToScalar(), p1 = sp + rows.GetElement(1), p2 = sp + rows.GetElement(2), p3 = sp + rows.GetElement(3);
                    LerpEachPixel4(p0, p1, p2, p3, stride, d, o + x * 3);
                    continue;
                }
            }
            Vector128<int> i0, i1;
            if (horizontal)
            {
                i0 = rowOffset + Sse41.Max(ti, Vector128<int>.Zero) * three;
                i1 = rowOffset + Sse41.Min(ti + one, last) * three;
            }
            else
            {
                var column = (Vector128.Create(x) + Vector128.Create(0, 1, 2, 3)) * three;
                var r0 = Sse41.Max(ti, Vector128<int>.Zero) * vStride;
                var below = ti + one;
                var r1 = Sse41.BlendVariable(r0, below * vStride, Sse2.CompareGreaterThan(Vector128.Create(h), below));
                i0 = r0 + column;
                i1 = r1 + column;
            }
            if (Sse2.MoveMask(Sse2.CompareGreaterThan(i1, safeVec).AsByte()) != 0) break;
            var g0 = Avx2.GatherVector128((int*)sp, i0, 1);
            var g1 = Avx2.GatherVector128((int*)sp, i1, 1);
            var rgb = Vector128<int>.Zero;
            for (int c = 0; c < 3; c++)
            {
                int shift = 8 * c;
                var p0 = Avx.ConvertToVector256Double((g0 >>> shift) & byteMask);
                var p1 = Avx.ConvertToVector256Double((g1 >>> shift) & byteMask);
                var v = Avx.And(p0 + (p1 - p0) * d, inside);
                rgb |= Avx.ConvertToVector128Int32WithTruncation(v) << shift;
            }
            var packed = Ssse3.Shuffle(rgb.AsByte(), pack).AsUInt64();
            *(ulong*)(o + x * 3) = packed.ToScalar();
            *(uint*)(o + x * 3 + 8) = packed.AsUInt32().GetElement(2);
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
