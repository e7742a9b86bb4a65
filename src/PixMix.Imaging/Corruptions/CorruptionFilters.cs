using System.Numerics;
using System.Runtime.CompilerServices;

namespace PixMix.Imaging.Corruptions;

/// <summary>
/// The image filters the corruptions are made of, with the semantics (border modes, kernel sizes, rounding and
/// summation order) of the numpy/scipy/OpenCV/ImageMagick functions the reference benchmark calls. Buffers are
/// HWC doubles unless stated. These use only the Line/Kernel/I1 slots of the workspace.
/// </summary>
internal static class CorruptionFilters
{
    /// <summary>Maps an index outside [0, n) back inside according to <paramref name="border"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MapIndex(int i, int n, Border border)
    {
        if ((uint)i < (uint)n) return i;
        if (n == 1) return 0;
        switch (border)
        {
            case Border.Nearest:
                return i < 0 ? 0 : n - 1;
            case Border.Reflect:
            {
                int period = 2 * n;
                int m = i % period; if (m < 0) m += period;
                return m < n ? m : period - 1 - m;
            }
            default:
            {
                int period = 2 * n - 2;
                int m = i % period; if (m < 0) m += period;
                return m < n ? m : period - m;
            }
        }
    }

    /// <summary>The sum of <paramref name="a"/> in numpy's order (pairwise summation, blocks of 8 accumulators).</summary>
    public static double NumpySum(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            double res = 0;
            for (int i = 0; i < n; i++) res += a[i];
            return res;
        }
        if (n <= 128)
        {
            double r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7];
            int i;
            for (i = 8; i < n - (n % 8); i += 8)
            {
                r0 += a[i]; r1 += a[i + 1]; r2 += a[i + 2]; r3 += a[i + 3];
                r4 += a[i + 4]; r5 += a[i + 5]; r6 += a[i + 6]; r7 += a[i + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) res += a[i];
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return NumpySum(a[..n2]) + NumpySum(a[n2..]);
    }

    /// <summary>The radius scipy's gaussian_filter uses: int(truncate * sigma + 0.5).</summary>
    public static int GaussianRadius(double sigma, double truncate) => (int)(truncate * sigma + 0.5);

    /// <summary>scipy's normalized Gaussian weights exp(-x^2 / (2 sigma^2)) for x = -r..r.</summary>
    public static void GaussianWeights(double sigma, int radius, Span<double> weights)
    {
        double f = -0.5 / (sigma * sigma);
        for (int x = -radius; x <= radius; x++) weights[x + radius] = Math.Exp(f * x * x);
        double sum = NumpySum(weights[..(2 * radius + 1)]);
        for (int i = 0; i < 2 * radius + 1; i++) weights[i] /= sum;
    }

    /// <summary>
    /// scipy.ndimage.gaussian_filter over the two spatial axes of an HWC buffer (rows first, then columns; the
    /// channel axis untouched), in place, as skimage.filters.gaussian calls it (truncate 4 and mode "nearest" by default).
    /// </summary>
    public static void GaussianFilter(Span<double> data, int width, int height, int channels, double sigma, double truncate, Border border, CorruptionWorkspace ws)
    {
        if (!(sigma > 1e-15)) return;
        int r = GaussianRadius(sigma, truncate);
        if (r == 0) return; // a one-tap normalized kernel is the identity
        var w = ws.Kernel(2 * r + 1);
        GaussianWeights(sigma, r, w);
        int maxLen = Math.Max(width, height);
        int stride = width * channels;
        if (r >= maxLen)
        {
            // A kernel wider than twice the image (e.g. the elastic transform's sigma of 170 px at 224 px): the
            // taps falling on the same source pixel are merged into an n x n matrix once per axis, and each line
            // is a matrix-vector product (the same sums, grouped differently).
            var line = ws.Line0(maxLen);
            var result = ws.Line1(maxLen);
            FilterAxisByMatrix(data, height, stride, width, channels, channels, w, r, border, line, result, ws);
            FilterAxisByMatrix(data, width, channels, height, stride, channels, w, r, border, line, result, ws);
            return;
        }
        var ext = ws.Line0(maxLen + 2 * r);
        var outLine = ws.Line1(maxLen);
        // axis 0: columns of length height; axis 1: rows of length width
        FilterAxis(data, height, stride, width, channels, channels, w, r, border, ext, outLine);
        FilterAxis(data, width, channels, height, stride, channels, w, r, border, ext, outLine);
    }

    // Filters the lines of length n (element step `step`) that start at o * outerStep + c, o in [0, outerCount),
    // c in [0, channels), by correlating each line, extended at its borders, with the weights.
    private static void FilterAxis(Span<double> data, int n, int step, int outerCount, int outerStep, int channels,
        ReadOnlySpan<double> w, int r, Border border, Span<double> ext, Span<double> outLine)
    {
        for (int o = 0; o < outerCount; o++)
            for (int c = 0; c < channels; c++)
            {
                int baseIdx = o * outerStep + c;
                for (int i = -r; i < n + r; i++) ext[i + r] = data[baseIdx + MapIndex(i, n, border) * step];
                Correlate(ext, outLine, n, w, r);
                for (int i = 0; i < n; i++) data[baseIdx + i * step] = outLine[i];
            }
    }

    // Filters the lines of length n (element step `step`) that start at o * outerStep + c, o in [0, outerCount),
    // c in [0, channels), through the n x n matrix of merged taps.
    private static void FilterAxisByMatrix(Span<double> data, int n, int step, int outerCount, int outerStep, int channels,
        ReadOnlySpan<double> w, int r, Border border, Span<double> line, Span<double> result, CorruptionWorkspace ws)
    {
        var a = ws.Matrix(n * n);
        a.Clear();
        for (int i = 0; i < n; i++)
            for (int j = -r; j <= r; j++) a[i * n + MapIndex(i + j, n, border)] += w[j + r];
        for (int o = 0; o < outerCount; o++)
            for (int c = 0; c < channels; c++)
            {
                int start = o * outerStep + c;
                for (int i = 0; i < n; i++) line[i] = data[start + i * step];
                for (int i = 0; i < n; i++) result[i] = Dot(a.Slice(i * n, n), line[..n]);
                for (int i = 0; i < n; i++) data[start + i * step] = result[i];
            }
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int i = 0;
        double t = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= 2 * Vector<double>.Count)
        {
            var acc = Vector<double>.Zero;
            for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
                acc += new Vector<double>(x.Slice(i)) * new Vector<double>(y.Slice(i));
            t = Vector.Sum(acc);
        }
        for (; i < x.Length; i++) t += x[i] * y[i];
        return t;
    }

    // scipy's symmetric correlate1d: x0*w0 + sum over j from the farthest tap inwards of (x[-j] + x[j]) * w[j].
    private static void Correlate(ReadOnlySpan<double> ext, Span<double> output, int n, ReadOnlySpan<double> w, int r)
    {
        double wc = w[r];
        for (int i = 0; i < n; i++)
        {
            int c = i + r;
            double t = ext[c] * wc;
            for (int j = r; j >= 1; j--) t += (ext[c - j] + ext[c + j]) * w[r - j];
            output[i] = t;
        }
    }

    /// <summary>
    /// OpenCV filter2D (correlation, anchor at the kernel centre, BORDER_REFLECT_101) of every channel of an HWC
    /// buffer with a <paramref name="kw"/> x <paramref name="kh"/> kernel. Rows and columns of zeros around the
    /// kernel are skipped (they add exact zeros).
    /// </summary>
    public static void Filter2D(ReadOnlySpan<double> src, Span<double> dst, int width, int height, int channels, ReadOnlySpan<double> kernel, int kw, int kh)
    {
        int ax = kw / 2, ay = kh / 2;
        int x0 = kw, x1 = -1, y0 = kh, y1 = -1;
        for (int j = 0; j < kh; j++)
            for (int i = 0; i < kw; i++)
                if (kernel[j * kw + i] != 0)
                {
                    x0 = Math.Min(x0, i); x1 = Math.Max(x1, i); y0 = Math.Min(y0, j); y1 = Math.Max(y1, j);
                }
        int stride = width * channels;
        dst = dst[..(height * stride)];
        dst.Clear();
        if (x1 < 0) return;
        // Row by row, tap by tap (rows of the kernel, then columns): each output value receives its taps in the
        // same order as a per-pixel loop would add them, and the interior of each row is a vector operation.
        for (int y = 0; y < height; y++)
        {
            var outRow = dst.Slice(y * stride, stride);
            for (int j = y0; j <= y1; j++)
            {
                var srcRow = src.Slice(MapIndex(y + j - ay, height, Border.Reflect101) * stride, stride);
                for (int i = x0; i <= x1; i++)
                {
                    double k = kernel[j * kw + i];
                    int d = i - ax;
                    int xa = Math.Clamp(-d, 0, width), xb = Math.Clamp(width - d, xa, width);
                    for (int x = 0; x < xa; x++) AddPixel(outRow, srcRow, x, MapIndex(x + d, width, Border.Reflect101), channels, k);
                    for (int x = xb; x < width; x++) AddPixel(outRow, srcRow, x, MapIndex(x + d, width, Border.Reflect101), channels, k);
                    AddScaled(outRow[(xa * channels)..(xb * channels)], srcRow[((xa + d) * channels)..((xb + d) * channels)], k);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddPixel(Span<double> outRow, ReadOnlySpan<double> srcRow, int x, int sx, int channels, double k)
    {
        for (int c = 0; c < channels; c++) outRow[x * channels + c] += k * srcRow[sx * channels + c];
    }

    // acc[i] += k * x[i] (a product then a sum, never fused, so that results equal the scalar loop's)
    private static void AddScaled(Span<double> acc, ReadOnlySpan<double> x, double k)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vk = new Vector<double>(k);
            for (; i <= acc.Length - Vector<double>.Count; i += Vector<double>.Count)
                (new Vector<double>(acc.Slice(i)) + vk * new Vector<double>(x.Slice(i))).CopyTo(acc.Slice(i));
        }
        for (; i < acc.Length; i++) acc[i] += k * x[i];
    }

    /// <summary>
    /// OpenCV GaussianBlur of a single-channel float image (in place) with a square odd <paramref name="ksize"/>,
    /// sigma in both directions, BORDER_REFLECT_101, float arithmetic, kernel from getGaussianKernel.
    /// </summary>
    public static void CvGaussianBlur(Span<float> image, int width, int height, int ksize, double sigma, CorruptionWorkspace ws)
    {
        int r = ksize / 2;
        Span<float> k = stackalloc float[ksize];
        double scale2 = -0.5 / (sigma * sigma), sum = 0;
        for (int i = 0; i < ksize; i++)
        {
            double x = i - (ksize - 1) * 0.5;
            k[i] = (float)Math.Exp(scale2 * x * x);
            sum += k[i];
        }
        sum = 1.0 / sum;
        for (int i = 0; i < ksize; i++) k[i] = (float)(k[i] * sum);
        var tmpD = ws.Line0(width * height);
        // rows
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                float s = image[y * width + x] * k[r];
                for (int j = 1; j <= r; j++)
                    s += (image[y * width + MapIndex(x - j, width, Border.Reflect101)] + image[y * width + MapIndex(x + j, width, Border.Reflect101)]) * k[r + j];
                tmpD[y * width + x] = s;
            }
        // columns
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                float s = (float)tmpD[y * width + x] * k[r];
                for (int j = 1; j <= r; j++)
                    s += ((float)tmpD[MapIndex(y - j, height, Border.Reflect101) * width + x] + (float)tmpD[MapIndex(y + j, height, Border.Reflect101) * width + x]) * k[r + j];
                image[y * width + x] = s;
            }
    }

    /// <summary>
    /// ImageMagick's MotionBlurImage(radius, sigma, angle) on 8-bit HWC pixels: a one-sided Gaussian kernel of
    /// width 2*ceil(radius)+1 (weights exp(-i^2 / (2 sigma^2)), i = 0..width-1, normalized) laid along the
    /// direction <paramref name="angleDegrees"/>; tap i reads the pixel at offset
    /// (ceil(i cos(angle) - 0.5), ceil(i sin(angle) - 0.5)) with edge pixels repeated outside the image;
    /// the result is rounded to the nearest level.
    /// </summary>
    public static void MotionBlur(ReadOnlySpan<byte> src, Span<byte> dst, int width, int height, int channels, double radius, double sigma, double angleDegrees, CorruptionWorkspace ws)
    {
        int kw = radius > 1e-12 ? (int)(2.0 * Math.Ceiling(radius) + 1.0) : 3;
        var k = ws.Kernel(kw);
        var ox = ws.I1(2 * kw);
        double s = Math.Abs(sigma) < 1e-12 ? 1e-12 : sigma, norm = 0;
        for (int i = 0; i < kw; i++)
        {
            k[i] = Math.Exp(-((double)i * i) / (2.0 * s * s)) / (Math.Sqrt(2 * Math.PI) * s);
            norm += k[i];
        }
        for (int i = 0; i < kw; i++) k[i] /= norm;
        double a = angleDegrees * Math.PI / 180.0;
        double px = kw * Math.Sin(a), py = kw * Math.Cos(a), hyp = Math.Sqrt(px * px + py * py);
        for (int i = 0; i < kw; i++)
        {
            ox[2 * i] = (int)Math.Ceiling(i * py / hyp - 0.5);
            ox[2 * i + 1] = (int)Math.Ceiling(i * px / hyp - 0.5);
        }
        int stride = width * channels;
        int minX = 0, maxX = 0, minY = 0, maxY = 0;
        var offsets = ws.I0(kw);
        for (int i = 0; i < kw; i++)
        {
            minX = Math.Min(minX, ox[2 * i]); maxX = Math.Max(maxX, ox[2 * i]);
            minY = Math.Min(minY, ox[2 * i + 1]); maxY = Math.Max(maxY, ox[2 * i + 1]);
            offsets[i] = ox[2 * i + 1] * stride + ox[2 * i] * channels;
        }
        for (int y = 0; y < height; y++)
        {
            bool innerRow = y + minY >= 0 && y + maxY < height;
            for (int x = 0; x < width; x++)
            {
                int o = y * stride + x * channels;
                if (innerRow && x + minX >= 0 && x + maxX < width)
                {
                    // every tap inside the image: the same sums, without the edge clamping
                    for (int c = 0; c < channels; c++)
                    {
                        double acc = 0;
                        for (int i = 0; i < kw; i++) acc += k[i] * src[o + offsets[i] + c];
                        dst[o + c] = (byte)Math.Clamp(acc + 0.5, 0, 255);
                    }
                    continue;
                }
                for (int c = 0; c < channels; c++)
                {
                    double acc = 0;
                    for (int i = 0; i < kw; i++)
                    {
                        int sx = Math.Clamp(x + ox[2 * i], 0, width - 1), sy = Math.Clamp(y + ox[2 * i + 1], 0, height - 1);
                        acc += k[i] * src[sy * stride + sx * channels + c];
                    }
                    dst[o + c] = (byte)Math.Clamp(acc + 0.5, 0, 255);
                }
            }
        }
    }

    /// <summary>
    /// The reference's clipped_zoom: crops the centre (ceil(size / zoom) pixels along each axis), enlarges it by
    /// <paramref name="zoom"/> with scipy.ndimage.zoom (order 1, output size round(crop * zoom), corners aligned)
    /// and keeps the centre window of the original size. Results are in double precision, as scipy computes them.
    /// </summary>
    public static void ClippedZoom(ReadOnlySpan<double> src, Span<double> dst, int width, int height, int channels, double zoom, CorruptionWorkspace ws)
    {
        var axis = ws.I1(2 * (width + height));
        var wts = ws.Kernel(2 * (width + height));
        ZoomAxis(height, zoom, axis[..(2 * height)], wts[..(2 * height)]);
        ZoomAxis(width, zoom, axis.Slice(2 * height, 2 * width), wts.Slice(2 * height, 2 * width));
        int stride = width * channels;
        for (int y = 0; y < height; y++)
        {
            int ya = axis[2 * y] * stride, yb = axis[2 * y + 1] * stride;
            double wy0 = wts[2 * y], wy1 = wts[2 * y + 1];
            for (int x = 0; x < width; x++)
            {
                int xa = axis[2 * height + 2 * x] * channels, xb = axis[2 * height + 2 * x + 1] * channels;
                double wx0 = wts[2 * height + 2 * x], wx1 = wts[2 * height + 2 * x + 1];
                int o = y * stride + x * channels;
                for (int c = 0; c < channels; c++)
                {
                    double t = 0;
                    t += src[ya + xa + c] * wy0 * wx0;
                    t += src[ya + xb + c] * wy0 * wx1;
                    t += src[yb + xa + c] * wy1 * wx0;
                    t += src[yb + xb + c] * wy1 * wx1;
                    dst[o + c] = t;
                }
            }
        }
    }

    // For each output index along an axis of length n: the two source indices and the linear weights.
    private static void ZoomAxis(int n, double zoom, Span<int> idx, Span<double> w)
    {
        int ch = (int)Math.Ceiling(n / zoom);
        if (ch > n) ch = n;
        int top = (n - ch) / 2;
        int outN = (int)Math.Round(ch * zoom, MidpointRounding.ToEven);
        int trim = (outN - n) / 2;
        if (trim < 0) trim = 0;
        double step = outN > 1 ? (ch - 1.0) / (outN - 1.0) : 1.0;
        for (int i = 0; i < n; i++)
        {
            double cc = (i + trim) * step;
            int start = (int)Math.Floor(cc);
            double t = cc - start;
            double w0 = 1.0 - t, w1 = 1.0 - w0;
            int a = Math.Min(start, ch - 1), b = Math.Min(start + 1, ch - 1);
            idx[2 * i] = top + a; idx[2 * i + 1] = top + b;
            w[2 * i] = w0; w[2 * i + 1] = w1;
        }
    }

    /// <summary>
    /// A plasma fractal (diamond-square) height map of side <paramref name="mapSize"/> (a power of two) with
    /// wrap-around neighbours, the random displacement starting at +-100^2 and divided by
    /// <paramref name="wibbleDecay"/> at each level, normalized to [0, 1]; row-major.
    /// </summary>
    public static void PlasmaFractal(Span<double> map, int mapSize, double wibbleDecay, ref PixMixRandom rng)
    {
        int n = mapSize;
        map[..(n * n)].Clear();
        double wibble = 100;
        for (int step = n; step >= 2; step /= 2)
        {
            int half = step / 2;
            // squares: centre = mean of the four corners + noise
            for (int y = 0; y < n; y += step)
                for (int x = 0; x < n; x += step)
                {
                    int y2 = (y + step) % n, x2 = (x + step) % n;
                    double sum = map[y * n + x] + map[y2 * n + x] + (map[y * n + x2] + map[y2 * n + x2]);
                    map[(y + half) * n + x + half] = sum / 4 + wibble * rng.Uniform(-wibble, wibble);
                }
            // diamonds on the rows of corners (between two corners, above/below are centres)
            for (int y = 0; y < n; y += step)
                for (int x = 0; x < n; x += step)
                {
                    int yUp = (y - half + n) % n;
                    double sum = map[(y + half) * n + x + half] + map[yUp * n + x + half]
                               + (map[y * n + x] + map[y * n + (x + step) % n]);
                    map[y * n + x + half] = sum / 4 + wibble * rng.Uniform(-wibble, wibble);
                }
            // diamonds on the columns of corners
            for (int y = 0; y < n; y += step)
                for (int x = 0; x < n; x += step)
                {
                    int xLeft = (x - half + n) % n;
                    double sum = map[(y + half) * n + x + half] + map[(y + half) * n + xLeft]
                               + (map[y * n + x] + map[((y + step) % n) * n + x]);
                    map[(y + half) * n + x] = sum / 4 + wibble * rng.Uniform(-wibble, wibble);
                }
            wibble /= wibbleDecay;
        }
        double min = double.MaxValue;
        for (int i = 0; i < n * n; i++) min = Math.Min(min, map[i]);
        double max = double.MinValue;
        for (int i = 0; i < n * n; i++) { map[i] -= min; max = Math.Max(max, map[i]); }
        if (max > 0) for (int i = 0; i < n * n; i++) map[i] /= max;
    }
}
