using System.Collections.Concurrent;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PixMix.Imaging.Perturbations;

/// <summary>
/// The tilt's frames: the 3x3 matrix P2 T Rx(theta) Ry(phi) P1 (phi = theta = 0.75 (i - 15) degrees, focal
/// sqrt(w^2 + h^2)) applied as OpenCV's warpPerspective with bilinear interpolation and a constant 0 border. Where each
/// output pixel samples depends only on the size and the frame, so it is computed once per size (<see cref="Tap"/>, 8 bytes a pixel a frame:
/// OpenCV's 1/32-pixel source position as the upper-left neighbour's offset in a <see cref="WarpSource"/> padded with
/// zeros and the weights of the two columns and the two rows).
/// </summary>
internal static class TiltWarp
{
    /// <summary>
    /// One output pixel: the offset of its upper-left neighbour, the column weights 32 - ax and ax and the row weights
    /// 32 - ay and ay (a byte each), ax and ay the 1/32-pixel fractions.
    /// </summary>
    internal struct Tap
    {
        public int Offset;
        public ushort ColumnWeights, RowWeights;
    }

    private const int Frames = 31;

    private static readonly ConcurrentDictionary<(int, int, int), Tap[][]> s_cached = new();

    /// <summary>The taps of frame <paramref name="frame"/> at one image shape.</summary>
    public static ReadOnlySpan<Tap> Taps(int frame, int w, int h, int c)
        => s_cached.GetOrAdd((w, h, c), key =>
        {
            var frames = new Tap[Frames][];
            for (int i = 0; i < Frames; i++) Build(i, key.Item1, key.Item2, key.Item3, frames[i] = new Tap[key.Item1 * key.Item2]);
            return frames;
        })[frame];

    /// <summary>
    /// OpenCV's source position of every output pixel in 1/32 pixel (x and y rounded to even after the division by
    /// the third coordinate). Positions whose four neighbours all lie outside point at the zeros after the padded image.
    /// </summary>
    private static void Build(int frame, int w, int h, int c, Span<Tap> taps)
    {
        double t = 0.75 * (frame - 15) * Math.PI / 180, f = Math.Sqrt((double)w * w + (double)h * h);
        double cos = Math.Cos(t), sin = Math.Sin(t);
        // Rx Ry P1 as a 4x3 product, then T (z += f), then P2: rows (f, 0, w/2, 0), (0, f, h/2, 0), (0, 0, 1, 0).
        Span<double> p1 = [1, 0, -w / 2.0, 0, 1, -h / 2.0, 0, 0, 1, 0, 0, 1];
        Span<double> ry = [cos, 0, -sin, 0, 0, 1, 0, 0, sin, 0, cos, 0, 0, 0, 0, 1];
        Span<double> rx = [1, 0, 0, 0, 0, cos, -sin, 0, 0, sin, cos, 0, 0, 0, 0, 1];
        Span<double> tz = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, f, 0, 0, 0, 1];
        Span<double> p2 = [f, 0, w / 2.0, 0, 0, f, h / 2.0, 0, 0, 0, 1, 0];
        Span<double> a = stackalloc double[12], b = stackalloc double[12], m = stackalloc double[9], inv = stackalloc double[9];
        MatMul(ry, p1, a, 4, 4, 3);
        MatMul(rx, a, b, 4, 4, 3);
        MatMul(tz, b, a, 4, 4, 3);
        MatMul(p2, a, m, 3, 4, 3);
        Invert3(m, inv);
        int zero = WarpSource.ZeroOffset(w, h, c);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double wv = inv[6] * x + inv[7] * y + inv[8];
                wv = wv != 0 ? 32.0 / wv : 0;
                int fx = Round(Math.Clamp((inv[0] * x + inv[1] * y + inv[2]) * wv, int.MinValue, int.MaxValue));
                int fy = Round(Math.Clamp((inv[3] * x + inv[4] * y + inv[5]) * wv, int.MinValue, int.MaxValue));
                int sx = fx >> 5, sy = fy >> 5, ax = fx & 31, ay = fy & 31;
                taps[y * w + x] = sx >= w || sx + 1 < 0 || sy >= h || sy + 1 < 0
                    ? new Tap { Offset = zero, ColumnWeights = 32, RowWeights = 32 }
                    : new Tap { Offset = WarpSource.Offset(sx, sy, w, c), ColumnWeights = (ushort)((32 - ax) | ax << 8), RowWeights = (ushort)((32 - ay) | ay << 8) };
            }
    }

    /// <summary>
    /// Writes one frame. OpenCV's fixed point: the four weights (32 - ax) (32 - ay) 32 .. ax ay 32 sum to 2^15 and the
    /// result is (sum + 2^14) >> 15; as every weight has the factor 32, that is (s + 512) >> 10 with s the sum of the
    /// bytes times (32 - ax) (32 - ay) .. ax ay, which is wy0 (wx0 s00 + wx1 s01) + wy1 (wx0 s10 + wx1 s11) in integers:
    /// per RGB pixel one byte multiply-add of the columns and one 16-bit multiply-add of the rows (SSE4.1).
    /// </summary>
    public static unsafe void Apply(ReadOnlySpan<Tap> taps, ReadOnlySpan<byte> padded, int w, int c, Span<byte> dst)
    {
        int n = taps.Length, stride = WarpSource.Stride(w, c);
        if (dst.Length < n * c) throw new ArgumentException("dst is shorter than the frame.", nameof(dst));
        fixed (Tap* tp = taps)
        fixed (byte* sp = padded, dp = dst)
        {
            int p = 0;
            if (c == 3 && Sse41.IsSupported)
            {
                // Pairs (left, right) of each channel in the upper row (bytes 0-5), then in the lower row (bytes 8-13).
                var pairs = Vector128.Create((byte)0, 3, 8, 11, 1, 4, 9, 12, 2, 5, 10, 13, 0x80, 0x80, 0x80, 0x80);
                var round = Vector128.Create(512);
                for (; p < n; p++)
                {
                    byte* s = sp + tp[p].Offset;
                    var bytes = Ssse3.Shuffle(Vector128.Create(*(ulong*)s, *(ulong*)(s + stride)).AsByte(), pairs);
                    // Words: upper r, lower r, upper g, lower g, upper b, lower b (each wx0 left + wx1 right, at most 8160).
                    var columns = Ssse3.MultiplyAddAdjacent(bytes, Vector128.Create(tp[p].ColumnWeights).AsSByte());
                    var rows = Sse41.ConvertToVector128Int16(Vector128.Create(tp[p].RowWeights).AsByte());
                    var sums = Sse2.MultiplyAddAdjacent(columns, rows);
                    var v = Sse2.ShiftRightArithmetic(sums + round, 10);
                    var shorts = Sse2.PackSignedSaturate(v, v);
                    uint rgb = Sse2.PackUnsignedSaturate(shorts, shorts).AsUInt32().ToScalar();
                    byte* o = dp + p * 3;
                    *(ushort*)o = (ushort)rgb;
                    o[2] = (byte)(rgb >> 16);
                }
                return;
            }
            for (; p < n; p++)
            {
                byte* s = sp + tp[p].Offset, o = dp + p * c;
                int wx0 = tp[p].ColumnWeights & 0xFF, wx1 = tp[p].ColumnWeights >> 8;
                int wy0 = tp[p].RowWeights & 0xFF, wy1 = tp[p].RowWeights >> 8;
                for (int k = 0; k < c; k++)
                {
                    int sum = wy0 * (wx0 * s[k] + wx1 * s[c + k]) + wy1 * (wx0 * s[stride + k] + wx1 * s[stride + c + k]);
                    o[k] = (byte)((sum + 512) >> 10);
                }
            }
        }
    }

    private static int Round(double v) => (int)Math.Round(v, MidpointRounding.ToEven);

    private static void MatMul(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> result, int rows, int inner, int cols)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                double sum = 0;
                for (int k = 0; k < inner; k++) sum += a[r * inner + k] * b[k * cols + c];
                result[r * cols + c] = sum;
            }
    }

    private static void Invert3(ReadOnlySpan<double> m, Span<double> inv)
    {
        double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
        double r = det != 0 ? 1 / det : 0;
        inv[0] = (m[4] * m[8] - m[5] * m[7]) * r; inv[1] = (m[2] * m[7] - m[1] * m[8]) * r; inv[2] = (m[1] * m[5] - m[2] * m[4]) * r;
        inv[3] = (m[5] * m[6] - m[3] * m[8]) * r; inv[4] = (m[0] * m[8] - m[2] * m[6]) * r; inv[5] = (m[2] * m[3] - m[0] * m[5]) * r;
        inv[6] = (m[3] * m[7] - m[4] * m[6]) * r; inv[7] = (m[1] * m[6] - m[0] * m[7]) * r; inv[8] = (m[0] * m[4] - m[1] * m[3]) * r;
    }
}
