using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PixMix.Imaging.Corruptions;

/// <summary>
/// The OpenCV operations the spatter corruption's water drops are drawn with: Canny edges, a chamfer distance
/// transform, 3x3 box blurs, histogram equalization and a small integer filter. They work on planes: a w x h
/// single-channel image inside a ring of <see cref="Ring"/> pixels (row stride w + 2 Ring), the ring holding the
/// border (OpenCV's border mode, or a constant), so the 3x3 and 5x5 neighbourhoods need no index mapping. Rows run in
/// 256-bit vectors where the hardware has them (a row's last vector overlapping the one before it when the width is
/// not a multiple); every pixel gets the same operations in the same order as on the scalar path, so both paths and
/// OpenCV's order of float additions give the same bits.
/// </summary>
internal static class SpatterFilters
{
    /// <summary>The width of the ring around a plane's image.</summary>
    public const int Ring = 2;

    /// <summary>The row stride of a plane holding a w-pixel wide image.</summary>
    public static int Stride(int w) => w + 2 * Ring;

    /// <summary>The length of a plane holding a w x h image.</summary>
    public static int PlaneLength(int w, int h) => (w + 2 * Ring) * (h + 2 * Ring);

    /// <summary>The plane index of image pixel (x, y).</summary>
    public static int Index(int w, int x, int y) => (y + Ring) * (w + 2 * Ring) + x + Ring;

    /// <summary>Sets the ring's inner pixels (one wide, corners included) from the image, by <paramref name="border"/>.</summary>
    public static void FillRing<T>(Span<T> plane, int w, int h, Border border)
    {
        for (int x = -1; x <= w; x++)
        {
            int mx = CorruptionFilters.MapIndex(x, w, border);
            plane[Index(w, x, -1)] = plane[Index(w, mx, CorruptionFilters.MapIndex(-1, h, border))];
            plane[Index(w, x, h)] = plane[Index(w, mx, CorruptionFilters.MapIndex(h, h, border))];
        }
        int left = CorruptionFilters.MapIndex(-1, w, border), right = CorruptionFilters.MapIndex(w, w, border);
        for (int y = 0; y < h; y++)
        {
            plane[Index(w, -1, y)] = plane[Index(w, left, y)];
            plane[Index(w, w, y)] = plane[Index(w, right, y)];
        }
    }

    /// <summary>
    /// Canny edges of an 8-bit image held in <paramref name="src"/> (shorts; the ring repeats the edge pixels): 3x3
    /// Sobel gradients, L1 magnitude, non-maximum suppression along the gradient direction quantized to 0/45/90/135
    /// degrees, and hysteresis: pixels above <paramref name="high"/> start edges that grow through 8-connected pixels
    /// above <paramref name="low"/>. <paramref name="state"/> (a plane) gets 2 on edges, 0 on weak pixels no edge
    /// reached and 1 elsewhere, the ring included. <paramref name="rowHasInk"/>[y] says whether image row y has a non-zero pixel: rows whose
    /// neighbourhood has none have no gradient and are skipped.
    /// </summary>
    public static void Canny(ReadOnlySpan<short> src, ReadOnlySpan<bool> rowHasInk, Span<byte> state, int w, int h, int low, int high,
        Span<short> gx, Span<short> gy, Span<short> mag, Span<int> stack)
    {
        int p = Stride(w);
        mag.Clear();
        state.Fill(1);
        for (int y = 0; y < h; y++)
            if (Inked(rowHasInk, y, h)) SobelRow(src, gx, gy, mag, Index(w, 0, y), w, p);
        const int Shift = 15;
        const int Tg22 = 13573; // tan(22.5 deg) * 2^15, rounded
        int top = 0;
        // 0: candidate (weak), 1: not an edge, 2: strong edge; the ring's magnitudes are 0 and its states 1
        for (int y = 0; y < h; y++)
        {
            if (!Inked(rowHasInk, y, h)) continue;
            int i0 = Index(w, 0, y);
            for (int i = i0; i < i0 + w; i++)
            {
                int m = mag[i];
                if (m <= low) continue;
                int dx = gx[i], dy = gy[i];
                int xs = Math.Abs(dx), ys = Math.Abs(dy) << Shift;
                int tg22x = xs * Tg22;
                bool isMax;
                if (ys < tg22x) isMax = m > mag[i - 1] && m >= mag[i + 1];
                else
                {
                    int tg67x = tg22x + (xs << (Shift + 1));
                    if (ys > tg67x) isMax = m > mag[i - p] && m >= mag[i + p];
                    else
                    {
                        int s = (dx ^ dy) < 0 ? -1 : 1;
                        isMax = m > mag[i - p - s] && m > mag[i + p + s];
                    }
                }
                if (isMax)
                {
                    if (m > high) { state[i] = 2; stack[top++] = i; }
                    else state[i] = 0;
                }
            }
        }
        while (top > 0)
        {
            int i = stack[--top];
            for (int j = i - p; j <= i + p; j += p)
                for (int k = j - 1; k <= j + 1; k++)
                    if (state[k] == 0) { state[k] = 2; stack[top++] = k; }
        }
    }

    private static bool Inked(ReadOnlySpan<bool> rowHasInk, int y, int h)
        => rowHasInk[y] || (y > 0 && rowHasInk[y - 1]) || (y < h - 1 && rowHasInk[y + 1]);

    private static void SobelRow(ReadOnlySpan<short> src, Span<short> gx, Span<short> gy, Span<short> mag, int i0, int w, int p)
    {
        ref short s = ref MemoryMarshal.GetReference(src);
        int v = Vector256<short>.Count;
        if (Vector256.IsHardwareAccelerated && w >= v)
        {
            for (int x = 0; x < w; x += v)
            {
                int i = i0 + Math.Min(x, w - v);
                var a0 = Load(ref s, i - p - 1); var a1 = Load(ref s, i - p); var a2 = Load(ref s, i - p + 1);
                var b0 = Load(ref s, i - 1); var b2 = Load(ref s, i + 1);
                var c0 = Load(ref s, i + p - 1); var c1 = Load(ref s, i + p); var c2 = Load(ref s, i + p + 1);
                var dx = (a2 + b2 + b2 + c2) - (a0 + b0 + b0 + c0);
                var dy = (c0 + c1 + c1 + c2) - (a0 + a1 + a1 + a2);
                dx.StoreUnsafe(ref MemoryMarshal.GetReference(gx), (nuint)i);
                dy.StoreUnsafe(ref MemoryMarshal.GetReference(gy), (nuint)i);
                (Vector256.Abs(dx) + Vector256.Abs(dy)).StoreUnsafe(ref MemoryMarshal.GetReference(mag), (nuint)i);
            }
            return;
        }
        for (int i = i0; i < i0 + w; i++)
        {
            int dx = (src[i - p + 1] + 2 * src[i + 1] + src[i + p + 1]) - (src[i - p - 1] + 2 * src[i - 1] + src[i + p - 1]);
            int dy = (src[i + p - 1] + 2 * src[i + p] + src[i + p + 1]) - (src[i - p - 1] + 2 * src[i - p] + src[i - p + 1]);
            gx[i] = (short)dx; gy[i] = (short)dy;
            mag[i] = (short)(Math.Abs(dx) + Math.Abs(dy));
        }
    }

    /// <summary>
    /// The distance of every pixel to the nearest edge (<paramref name="state"/> 2) with OpenCV's 5x5 chamfer metric
    /// for L2 (steps 1, 1.4 and 2.1969; a forward and a backward pass), capped at <paramref name="cap"/>: starting the
    /// passes from the cap instead of "far" gives min(distance, cap) exactly, as float rounding is monotonic. The ring
    /// of <paramref name="dist"/> is set to the cap; <paramref name="row"/> holds w values.
    /// </summary>
    public static void DistanceTransform(ReadOnlySpan<byte> state, Span<float> dist, Span<float> row, int w, int h, float cap)
    {
        const float A = 1f;
        int p = Stride(w);
        dist.Fill(cap);
        for (int y = 0; y < h; y++)
            for (int i = Index(w, 0, y), end = i + w; i < end; i++)
                if (state[i] == 2) dist[i] = 0;
        ref float d = ref MemoryMarshal.GetReference(dist);
        ref float r = ref MemoryMarshal.GetReference(row);
        // each pass: the candidates from the rows already done (independent across the row, so vectorized), then the
        // running minimum along the row; min is exact and order-free, so this is OpenCV's result
        for (int y = 0; y < h; y++)
        {
            int i0 = Index(w, 0, y);
            ChamferRow(ref d, ref r, i0, w, -p);
            float prev = Unsafe.Add(ref d, i0 - 1);
            for (int x = 0; x < w; x++)
            {
                float v = Min(Unsafe.Add(ref r, x), prev + A);
                Unsafe.Add(ref d, i0 + x) = v;
                prev = v;
            }
        }
        for (int y = h - 1; y >= 0; y--)
        {
            int i0 = Index(w, 0, y);
            ChamferRow(ref d, ref r, i0, w, p);
            float prev = Unsafe.Add(ref d, i0 + w);
            for (int x = w - 1; x >= 0; x--)
            {
                float v = Min(Unsafe.Add(ref r, x), prev + A);
                Unsafe.Add(ref d, i0 + x) = v;
                prev = v;
            }
        }
    }

    // row[x] = min(d[i], the candidates of pixel i = i0 + x from the one or two rows at step `up` (-stride: above, +stride: below))
    private static void ChamferRow(ref float d, ref float row, int i0, int w, int up)
    {
        const float A = 1f, B = 1.4f, C = 2.1969f;
        int v = Vector256<float>.Count;
        if (Vector256.IsHardwareAccelerated && w >= v)
        {
            var a = Vector256.Create(A); var b = Vector256.Create(B); var c = Vector256.Create(C);
            for (int x = 0; x < w; x += v)
            {
                int xv = Math.Min(x, w - v), i = i0 + xv;
                var m = Vector256.LoadUnsafe(ref d, (nuint)i);
                m = Vector256.MinNative(m, Vector256.LoadUnsafe(ref d, (nuint)(i + up)) + a);
                m = Vector256.MinNative(m, Vector256.LoadUnsafe(ref d, (nuint)(i + up - 1)) + b);
                m = Vector256.MinNative(m, Vector256.LoadUnsafe(ref d, (nuint)(i + up + 1)) + b);
                m = Vector256.MinNative(m, Vector256.LoadUnsafe(ref d, (nuint)(i + 2 * up - 1)) + c);
                m = Vector256.MinNative(m, Vector256.LoadUnsafe(ref d, (nuint)(i + 2 * up + 1)) + c);
                m = Vector256.MinNative(m, Vector256.LoadUnsafe(ref d, (nuint)(i + up - 2)) + c);
                m = Vector256.MinNative(m, Vector256.LoadUnsafe(ref d, (nuint)(i + up + 2)) + c);
                m.StoreUnsafe(ref row, (nuint)xv);
            }
            return;
        }
        for (int x = 0; x < w; x++)
        {
            int i = i0 + x;
            float m = Unsafe.Add(ref d, i);
            m = Min(m, Unsafe.Add(ref d, i + up) + A);
            m = Min(m, Unsafe.Add(ref d, i + up - 1) + B);
            m = Min(m, Unsafe.Add(ref d, i + up + 1) + B);
            m = Min(m, Unsafe.Add(ref d, i + 2 * up - 1) + C);
            m = Min(m, Unsafe.Add(ref d, i + 2 * up + 1) + C);
            m = Min(m, Unsafe.Add(ref d, i + up - 2) + C);
            m = Min(m, Unsafe.Add(ref d, i + up + 2) + C);
            Unsafe.Add(ref row, x) = m;
        }
    }

    /// <summary>
    /// OpenCV blur with a normalized 3x3 box (BORDER_REFLECT_101, float: the nine values added row by row, left to
    /// right, then divided by 9), truncated to an integer into <paramref name="dst"/>. Sets the ring of <paramref name="src"/>.
    /// </summary>
    public static void Box3ToInt(Span<float> src, Span<short> dst, int w, int h)
    {
        FillRing(src, w, h, Border.Reflect101);
        int p = Stride(w), v = Vector256<float>.Count;
        ref float s = ref MemoryMarshal.GetReference(src);
        var ninth = Vector256.Create(9f);
        for (int y = 0; y < h; y++)
        {
            int i0 = Index(w, 0, y);
            if (Vector256.IsHardwareAccelerated && w >= v)
            {
                for (int x = 0; x < w; x += v)
                {
                    int i = i0 + Math.Min(x, w - v);
                    var sum = Vector256.LoadUnsafe(ref s, (nuint)(i - p - 1));
                    sum += Vector256.LoadUnsafe(ref s, (nuint)(i - p)); sum += Vector256.LoadUnsafe(ref s, (nuint)(i - p + 1));
                    sum += Vector256.LoadUnsafe(ref s, (nuint)(i - 1)); sum += Vector256.LoadUnsafe(ref s, (nuint)i);
                    sum += Vector256.LoadUnsafe(ref s, (nuint)(i + 1)); sum += Vector256.LoadUnsafe(ref s, (nuint)(i + p - 1));
                    sum += Vector256.LoadUnsafe(ref s, (nuint)(i + p)); sum += Vector256.LoadUnsafe(ref s, (nuint)(i + p + 1));
                    var q = Vector256.ConvertToInt32(sum / ninth);
                    Vector256.Narrow(q, q).GetLower().StoreUnsafe(ref MemoryMarshal.GetReference(dst), (nuint)i);
                }
            }
            else
                for (int i = i0; i < i0 + w; i++)
                {
                    float sum = Unsafe.Add(ref s, i - p - 1);
                    sum += Unsafe.Add(ref s, i - p); sum += Unsafe.Add(ref s, i - p + 1);
                    sum += Unsafe.Add(ref s, i - 1); sum += Unsafe.Add(ref s, i);
                    sum += Unsafe.Add(ref s, i + 1); sum += Unsafe.Add(ref s, i + p - 1);
                    sum += Unsafe.Add(ref s, i + p); sum += Unsafe.Add(ref s, i + p + 1);
                    dst[i] = (short)(int)(sum / 9f);
                }
        }
    }

    /// <summary>OpenCV equalizeHist of the image of <paramref name="plane"/> (values 0..255), in place.</summary>
    public static void EqualizeHistogram(Span<short> plane, int w, int h)
    {
        // four partial histograms, so that runs of equal values do not wait on one counter
        Span<int> counts = stackalloc int[4 * 256];
        counts.Clear();
        ref short q = ref MemoryMarshal.GetReference(plane);
        for (int y = 0; y < h; y++)
            for (int k = Index(w, 0, y), end = k + w; k < end; k++) counts[((k & 3) << 8) + Unsafe.Add(ref q, k)]++;
        Span<int> hist = counts[..256];
        int last = 0;
        for (int v = 0; v < 256; v++)
        {
            hist[v] += counts[256 + v] + counts[512 + v] + counts[768 + v];
            if (hist[v] != 0) last = v;
        }
        int i = 0;
        while (hist[i] == 0) i++;
        int total = w * h;
        Span<short> lut = stackalloc short[256];
        if (hist[i] == total) lut.Fill((short)i);
        else
        {
            // the table is filled up to the largest value present: the others are never looked up
            lut.Clear();
            float scale = 255f / (total - hist[i]);
            int sum = 0;
            for (lut[i++] = 0; i <= last; i++)
            {
                sum += hist[i];
                lut[i] = (short)Math.Clamp((int)Math.Round(sum * scale, MidpointRounding.ToEven), 0, 255);
            }
        }
        for (int y = 0; y < h; y++)
            for (int k = Index(w, 0, y), end = k + w; k < end; k++) Unsafe.Add(ref q, k) = lut[Unsafe.Add(ref q, k)];
    }

    /// <summary>
    /// OpenCV filter2D of an 8-bit image with the spatter's 3x3 integer kernel ((-2,-1,0), (-1,1,1), (0,1,2)),
    /// BORDER_REFLECT_101, saturated to bytes (as shorts, into the plane <paramref name="dst"/>). Sets the ring of
    /// <paramref name="src"/>.
    /// </summary>
    public static void EmbossFilter(Span<short> src, Span<short> dst, int w, int h)
    {
        FillRing(src, w, h, Border.Reflect101);
        int p = Stride(w), v = Vector256<short>.Count;
        ref short s = ref MemoryMarshal.GetReference(src);
        for (int y = 0; y < h; y++)
        {
            int i0 = Index(w, 0, y);
            if (Vector256.IsHardwareAccelerated && w >= v)
            {
                var zero = Vector256<short>.Zero; var max = Vector256.Create((short)255);
                for (int x = 0; x < w; x += v)
                {
                    int i = i0 + Math.Min(x, w - v);
                    var a0 = Load(ref s, i - p - 1); var a1 = Load(ref s, i - p);
                    var b0 = Load(ref s, i - 1); var b1 = Load(ref s, i); var b2 = Load(ref s, i + 1);
                    var c1 = Load(ref s, i + p); var c2 = Load(ref s, i + p + 1);
                    var sum = b1 + b2 + c1 + c2 + c2 - a0 - a0 - a1 - b0;
                    Vector256.Min(Vector256.Max(sum, zero), max).StoreUnsafe(ref MemoryMarshal.GetReference(dst), (nuint)i);
                }
            }
            else
                for (int i = i0; i < i0 + w; i++)
                {
                    int sum = -2 * src[i - p - 1] - src[i - p] - src[i - 1] + src[i] + src[i + 1] + src[i + p] + 2 * src[i + p + 1];
                    dst[i] = (short)Math.Clamp(sum, 0, 255);
                }
        }
    }

    // the smaller of two distances (never NaN or -0, so without Math.Min's NaN and signed-zero handling)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Min(float a, float b) => a < b ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Load(ref short s, int i) => Vector256.LoadUnsafe(ref s, (nuint)i);
}
