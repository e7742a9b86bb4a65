namespace PixMix.Imaging.Corruptions;

/// <summary>
/// The OpenCV operations the spatter corruption's water drops are drawn with: Canny edges, a chamfer distance
/// transform, 3x3 box blurs, histogram equalization and a small integer filter. Single-channel, row-major.
/// </summary>
internal static class SpatterFilters
{
    private static readonly int[] s_emboss = [-2, -1, 0, -1, 1, 1, 0, 1, 2];

    /// <summary>
    /// Canny edges (255 on edges, 0 elsewhere) of an 8-bit image: 3x3 Sobel gradients (edges repeated), L1
    /// magnitude, non-maximum suppression along the gradient direction quantized to 0/45/90/135 degrees, and
    /// hysteresis: pixels above <paramref name="high"/> start edges that grow through 8-connected pixels above
    /// <paramref name="low"/>.
    /// </summary>
    public static void Canny(ReadOnlySpan<byte> src, Span<byte> edges, int w, int h, int low, int high, Span<int> mag, Span<int> gx, Span<int> gy, Span<int> stack)
    {
        for (int y = 0; y < h; y++)
        {
            int ym = Math.Max(y - 1, 0) * w, y0 = y * w, yp = Math.Min(y + 1, h - 1) * w;
            for (int x = 0; x < w; x++)
            {
                int xm = Math.Max(x - 1, 0), xp = Math.Min(x + 1, w - 1);
                int dx = (src[ym + xp] + 2 * src[y0 + xp] + src[yp + xp]) - (src[ym + xm] + 2 * src[y0 + xm] + src[yp + xm]);
                int dy = (src[yp + xm] + 2 * src[yp + x] + src[yp + xp]) - (src[ym + xm] + 2 * src[ym + x] + src[ym + xp]);
                gx[y0 + x] = dx; gy[y0 + x] = dy;
                mag[y0 + x] = Math.Abs(dx) + Math.Abs(dy);
            }
        }
        const int Shift = 15;
        const int Tg22 = 13573; // tan(22.5 deg) * 2^15, rounded
        int top = 0;
        // 0: candidate (weak), 1: not an edge, 2: strong edge
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x, m = mag[i];
                byte state = 1;
                if (m > low)
                {
                    int dx = gx[i], dy = gy[i];
                    int xs = Math.Abs(dx), ys = Math.Abs(dy) << Shift;
                    int tg22x = xs * Tg22;
                    bool isMax;
                    if (ys < tg22x) isMax = m > Mag(mag, w, h, x - 1, y) && m >= Mag(mag, w, h, x + 1, y);
                    else
                    {
                        int tg67x = tg22x + (xs << (Shift + 1));
                        if (ys > tg67x) isMax = m > Mag(mag, w, h, x, y - 1) && m >= Mag(mag, w, h, x, y + 1);
                        else
                        {
                            int s = (dx ^ dy) < 0 ? -1 : 1;
                            isMax = m > Mag(mag, w, h, x - s, y - 1) && m > Mag(mag, w, h, x + s, y + 1);
                        }
                    }
                    if (isMax)
                    {
                        if (m > high) { state = 2; stack[top++] = i; }
                        else state = 0;
                    }
                }
                edges[i] = state;
            }
        while (top > 0)
        {
            int i = stack[--top];
            int x = i % w, y = i / w;
            for (int yy = Math.Max(y - 1, 0); yy <= Math.Min(y + 1, h - 1); yy++)
                for (int xx = Math.Max(x - 1, 0); xx <= Math.Min(x + 1, w - 1); xx++)
                {
                    int j = yy * w + xx;
                    if (edges[j] == 0) { edges[j] = 2; stack[top++] = j; }
                }
        }
        for (int i = 0; i < w * h; i++) edges[i] = edges[i] == 2 ? (byte)255 : (byte)0;
    }

    private static int Mag(ReadOnlySpan<int> mag, int w, int h, int x, int y)
        => (uint)x < (uint)w && (uint)y < (uint)h ? mag[y * w + x] : 0;

    /// <summary>
    /// The distance of every non-zero pixel to the nearest zero pixel with OpenCV's 5x5 chamfer metric for L2
    /// (steps 1, 1.4 and 2.1969); pixels with no zero pixel anywhere get a large value.
    /// </summary>
    public static void DistanceTransform(ReadOnlySpan<byte> src, Span<float> dist, int w, int h)
    {
        const float A = 1f, B = 1.4f, C = 2.1969f, Inf = 1e6f;
        for (int i = 0; i < w * h; i++) dist[i] = src[i] == 0 ? 0 : Inf;
        // forward
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                float d = dist[i];
                if (d == 0) continue;
                if (y >= 2 && x >= 2 && x < w - 2)
                {
                    d = Math.Min(d, dist[i - 1] + A);
                    d = Math.Min(d, dist[i - w] + A);
                    d = Math.Min(d, dist[i - w - 1] + B);
                    d = Math.Min(d, dist[i - w + 1] + B);
                    d = Math.Min(d, dist[i - 2 * w - 1] + C);
                    d = Math.Min(d, dist[i - 2 * w + 1] + C);
                    d = Math.Min(d, dist[i - w - 2] + C);
                    d = Math.Min(d, dist[i - w + 2] + C);
                    dist[i] = d;
                    continue;
                }
                d = Math.Min(d, At(dist, w, h, x - 1, y) + A);
                d = Math.Min(d, At(dist, w, h, x, y - 1) + A);
                d = Math.Min(d, At(dist, w, h, x - 1, y - 1) + B);
                d = Math.Min(d, At(dist, w, h, x + 1, y - 1) + B);
                d = Math.Min(d, At(dist, w, h, x - 1, y - 2) + C);
                d = Math.Min(d, At(dist, w, h, x + 1, y - 2) + C);
                d = Math.Min(d, At(dist, w, h, x - 2, y - 1) + C);
                d = Math.Min(d, At(dist, w, h, x + 2, y - 1) + C);
                dist[i] = d;
            }
        // backward
        for (int y = h - 1; y >= 0; y--)
            for (int x = w - 1; x >= 0; x--)
            {
                int i = y * w + x;
                float d = dist[i];
                if (d == 0) continue;
                if (y < h - 2 && x >= 2 && x < w - 2)
                {
                    d = Math.Min(d, dist[i + 1] + A);
                    d = Math.Min(d, dist[i + w] + A);
                    d = Math.Min(d, dist[i + w + 1] + B);
                    d = Math.Min(d, dist[i + w - 1] + B);
                    d = Math.Min(d, dist[i + 2 * w + 1] + C);
                    d = Math.Min(d, dist[i + 2 * w - 1] + C);
                    d = Math.Min(d, dist[i + w + 2] + C);
                    d = Math.Min(d, dist[i + w - 2] + C);
                    dist[i] = d;
                    continue;
                }
                d = Math.Min(d, At(dist, w, h, x + 1, y) + A);
                d = Math.Min(d, At(dist, w, h, x, y + 1) + A);
                d = Math.Min(d, At(dist, w, h, x + 1, y + 1) + B);
                d = Math.Min(d, At(dist, w, h, x - 1, y + 1) + B);
                d = Math.Min(d, At(dist, w, h, x + 1, y + 2) + C);
                d = Math.Min(d, At(dist, w, h, x - 1, y + 2) + C);
                d = Math.Min(d, At(dist, w, h, x + 2, y + 1) + C);
                d = Math.Min(d, At(dist, w, h, x - 2, y + 1) + C);
                dist[i] = d;
            }
    }

    private static float At(ReadOnlySpan<float> d, int w, int h, int x, int y)
        => (uint)x < (uint)w && (uint)y < (uint)h ? d[y * w + x] : 1e6f;

    /// <summary>OpenCV blur with a normalized 3x3 box and BORDER_REFLECT_101, float, into <paramref name="dst"/>.</summary>
    public static void Box3(ReadOnlySpan<float> src, Span<float> dst, int w, int h)
    {
        for (int y = 0; y < h; y++)
        {
            bool innerRow = y > 0 && y < h - 1;
            for (int x = 0; x < w; x++)
            {
                float s = 0;
                if (innerRow && x > 0 && x < w - 1)
                {
                    // the same sums in the same order as the bordered path, without the index mapping
                    int a = (y - 1) * w + x, b = a + w, c = b + w;
                    s += src[a - 1]; s += src[a]; s += src[a + 1];
                    s += src[b - 1]; s += src[b]; s += src[b + 1];
                    s += src[c - 1]; s += src[c]; s += src[c + 1];
                }
                else
                    for (int j = -1; j <= 1; j++)
                    {
                        int row = CorruptionFilters.MapIndex(y + j, h, Border.Reflect101) * w;
                        for (int i = -1; i <= 1; i++) s += src[row + CorruptionFilters.MapIndex(x + i, w, Border.Reflect101)];
                    }
                dst[y * w + x] = s / 9f;
            }
        }
    }

    /// <summary>OpenCV equalizeHist, in place.</summary>
    public static void EqualizeHistogram(Span<byte> image)
    {
        Span<int> hist = stackalloc int[256];
        hist.Clear();
        foreach (byte v in image) hist[v]++;
        int i = 0;
        while (hist[i] == 0) i++;
        int total = image.Length;
        if (hist[i] == total) { image.Fill((byte)i); return; }
        Span<byte> lut = stackalloc byte[256];
        lut.Clear();
        float scale = 255f / (total - hist[i]);
        int sum = 0;
        for (lut[i++] = 0; i < 256; i++)
        {
            sum += hist[i];
            lut[i] = (byte)Math.Clamp((int)Math.Round(sum * scale, MidpointRounding.ToEven), 0, 255);
        }
        for (int k = 0; k < image.Length; k++) image[k] = lut[image[k]];
    }

    /// <summary>OpenCV filter2D of an 8-bit image with the spatter's 3x3 integer kernel ((-2,-1,0), (-1,1,1), (0,1,2)), BORDER_REFLECT_101, saturated to bytes.</summary>
    public static void EmbossFilter(ReadOnlySpan<byte> src, Span<byte> dst, int w, int h)
    {
        ReadOnlySpan<int> k = s_emboss;
        for (int y = 0; y < h; y++)
        {
            bool innerRow = y > 0 && y < h - 1;
            for (int x = 0; x < w; x++)
            {
                int s = 0;
                if (innerRow && x > 0 && x < w - 1)
                {
                    int a = (y - 1) * w + x, c = a + 2 * w;
                    s = -2 * src[a - 1] - src[a] - src[a + w - 1] + src[a + w] + src[a + w + 1] + src[c] + 2 * src[c + 1];
                }
                else
                    for (int j = -1; j <= 1; j++)
                    {
                        int row = CorruptionFilters.MapIndex(y + j, h, Border.Reflect101) * w;
                        for (int i = -1; i <= 1; i++) s += k[(j + 1) * 3 + i + 1] * src[row + CorruptionFilters.MapIndex(x + i, w, Border.Reflect101)];
                    }
                dst[y * w + x] = (byte)Math.Clamp(s, 0, 255);
            }
        }
    }
}
