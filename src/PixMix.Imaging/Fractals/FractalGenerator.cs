namespace PixMix.Imaging.Fractals;

/// <summary>
/// Procedural fractal pictures for the PixMix mixing set: random iterated function systems and escape-time
/// fractals, each coloured with a random palette. Picture <c>index</c> of a generator seeded <c>seed</c> is always
/// the same, whatever the order or thread in which pictures are drawn, so no download is ever needed.
/// </summary>
public static class FractalGenerator
{
    /// <summary>Which family picture <paramref name="index"/> belongs to (half IFS, a quarter Julia, a quarter Mandelbrot).</summary>
    public static FractalKind KindOf(long seed, int index)
    {
        var rng = PixMixRandom.For(seed, 0, index, 0xF4AC7A1);
        double u = rng.NextDouble();
        return u < 0.5 ? FractalKind.IteratedFunctionSystem : u < 0.75 ? FractalKind.Julia : FractalKind.Mandelbrot;
    }

    /// <summary>Renders picture <paramref name="index"/> of the set seeded <paramref name="seed"/> into <paramref name="dst"/> (RGB or grey).</summary>
    public static void Render(long seed, int index, ImageU8 dst)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index, nameof(index));
        var kind = KindOf(seed, index);
        var rng = PixMixRandom.For(seed, 1, index, 0xF4AC7A1);
        Span<float> palette = stackalloc float[3 * Palette.Size];
        Palette.Random(ref rng, palette);
        switch (kind)
        {
            case FractalKind.IteratedFunctionSystem: RenderIfs(ref rng, palette, dst); break;
            case FractalKind.Julia: RenderJulia(ref rng, palette, dst); break;
            default: RenderMandelbrot(ref rng, palette, dst); break;
        }
    }

    private static void RenderIfs(ref PixMixRandom rng, ReadOnlySpan<float> palette, ImageU8 dst)
    {
        int w = dst.Width, h = dst.Height;
        // Draw contractive maps until the attractor is not degenerate (spread over the picture).
        Span<double> maps = stackalloc double[5 * 6];
        Span<double> cumulative = stackalloc double[5];
        int n = 0;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            n = rng.NextIntInclusive(2, 5);
            double total = 0;
            for (int m = 0; m < n; m++)
            {
                // a random rotation-scale-shear with singular values in (0.2, 0.9)
                double th = rng.Uniform(0, 2 * Math.PI), ph = rng.Uniform(0, 2 * Math.PI);
                double s1 = rng.Uniform(0.25, 0.9), s2 = rng.Uniform(0.2, 0.9) * (rng.Bernoulli() ? 1 : -1);
                double c1 = Math.Cos(th), d1 = Math.Sin(th), c2 = Math.Cos(ph), d2 = Math.Sin(ph);
                // R(th) * diag(s1, s2) * R(ph)
                maps[m * 6 + 0] = c1 * s1 * c2 - d1 * s2 * d2;
                maps[m * 6 + 1] = -c1 * s1 * d2 - d1 * s2 * c2;
                maps[m * 6 + 2] = d1 * s1 * c2 + c1 * s2 * d2;
                maps[m * 6 + 3] = -d1 * s1 * d2 + c1 * s2 * c2;
                maps[m * 6 + 4] = rng.Uniform(-1, 1);
                maps[m * 6 + 5] = rng.Uniform(-1, 1);
                double det = Math.Abs(maps[m * 6 + 0] * maps[m * 6 + 3] - maps[m * 6 + 1] * maps[m * 6 + 2]);
                total += det + 0.01;
                cumulative[m] = total;
            }
            for (int m = 0; m < n; m++) cumulative[m] /= total;
            if (Spread(maps, n, cumulative, ref rng) > 0.05) break;
        }

        // Bounds of the attractor from a short run, then the density run.
        double x = 0, y = 0, minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
        for (int i = 0; i < 2000; i++)
        {
            Step(maps, n, cumulative, ref rng, ref x, ref y, out _);
            if (i < 20) continue;
            minX = Math.Min(minX, x); maxX = Math.Max(maxX, x); minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
        }
        double spanX = Math.Max(maxX - minX, 1e-6), spanY = Math.Max(maxY - minY, 1e-6);
        double scale = 0.92 * Math.Min(w / spanX, h / spanY);
        double offX = (w - scale * (maxX + minX)) / 2, offY = (h - scale * (maxY + minY)) / 2;

        var density = System.Buffers.ArrayPool<float>.Shared.Rent(w * h);
        var colour = System.Buffers.ArrayPool<float>.Shared.Rent(w * h);
        try
        {
            Array.Clear(density, 0, w * h); Array.Clear(colour, 0, w * h);
            int points = Math.Max(20_000, w * h * 6);
            double c = 0;
            for (int i = 0; i < points; i++)
            {
                Step(maps, n, cumulative, ref rng, ref x, ref y, out int m);
                c = 0.5 * (c + (double)m / Math.Max(1, n - 1)); // colour follows the recent map history
                int px = (int)(x * scale + offX), py = (int)(y * scale + offY);
                if ((uint)px < (uint)w && (uint)py < (uint)h) { density[py * w + px] += 1; colour[py * w + px] += (float)c; }
            }
            float max = 0;
            for (int i = 0; i < w * h; i++) max = Math.Max(max, density[i]);
            float logMax = MathF.Log(1 + max);
            var d = dst.Span; int ch = dst.Channels;
            for (int i = 0; i < w * h; i++)
            {
                float v = density[i] > 0 ? MathF.Log(1 + density[i]) / logMax : 0;
                float t = density[i] > 0 ? colour[i] / density[i] : 0;
                WritePixel(d, i, ch, palette, t, MathF.Pow(v, 0.6f));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(density);
            System.Buffers.ArrayPool<float>.Shared.Return(colour);
        }
    }

    private static double Spread(ReadOnlySpan<double> maps, int n, ReadOnlySpan<double> cumulative, ref PixMixRandom rng)
    {
        double x = 0, y = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
        const int N = 400;
        for (int i = 0; i < N + 20; i++)
        {
            Step(maps, n, cumulative, ref rng, ref x, ref y, out _);
            if (i < 20) continue;
            sx += x; sy += y; sxx += x * x; syy += y * y;
        }
        double vx = sxx / N - (sx / N) * (sx / N), vy = syy / N - (sy / N) * (sy / N);
        return Math.Min(vx, vy);
    }

    private static void Step(ReadOnlySpan<double> maps, int n, ReadOnlySpan<double> cumulative, ref PixMixRandom rng, ref double x, ref double y, out int m)
    {
        double u = rng.NextDouble();
        m = 0;
        while (m < n - 1 && u > cumulative[m]) m++;
        var p = maps.Slice(m * 6, 6);
        double nx = p[0] * x + p[1] * y + p[4];
        double ny = p[2] * x + p[3] * y + p[5];
        x = nx; y = ny;
    }

    private static void RenderJulia(ref PixMixRandom rng, ReadOnlySpan<float> palette, ImageU8 dst)
    {
        // c on a circle around the main cardioid's boundary gives connected, detailed sets.
        double t = rng.Uniform(0, 2 * Math.PI), r = rng.Uniform(0.95, 1.05);
        double cre = r * (0.5 * Math.Cos(t) - 0.25 * Math.Cos(2 * t)), cim = r * (0.5 * Math.Sin(t) - 0.25 * Math.Sin(2 * t));
        double zoom = rng.Uniform(1.2, 3.0), cx = rng.Uniform(-0.4, 0.4), cy = rng.Uniform(-0.4, 0.4), rot = rng.Uniform(0, 2 * Math.PI);
        EscapeTime(dst, palette, cx, cy, zoom, rot, julia: true, cre, cim, rng.Uniform(0, 1));
    }

    private static void RenderMandelbrot(ref PixMixRandom rng, ReadOnlySpan<float> palette, ImageU8 dst)
    {
        // Zoom on a point near the boundary: walk from the inside outwards until escape starts.
        double t = rng.Uniform(0, 2 * Math.PI);
        double bx = 0.5 * Math.Cos(t) - 0.25 * Math.Cos(2 * t), by = 0.5 * Math.Sin(t) - 0.25 * Math.Sin(2 * t);
        double jitter = rng.Uniform(0.0, 0.05);
        double cx = bx + jitter * Math.Cos(t), cy = by + jitter * Math.Sin(t);
        double zoom = Math.Exp(rng.Uniform(Math.Log(0.02), Math.Log(0.6))), rot = rng.Uniform(0, 2 * Math.PI);
        EscapeTime(dst, palette, cx, cy, zoom, rot, julia: false, 0, 0, rng.Uniform(0, 1));
    }

    private static void EscapeTime(ImageU8 dst, ReadOnlySpan<float> palette, double cx, double cy, double halfWidth, double rot, bool julia, double cre, double cim, double phase)
    {
        int w = dst.Width, h = dst.Height, ch = dst.Channels;
        const int maxIter = 96;
        double cos = Math.Cos(rot), sin = Math.Sin(rot), pix = 2 * halfWidth / Math.Max(w, h);
        var d = dst.Span;
        for (int py = 0; py < h; py++)
            for (int px = 0; px < w; px++)
            {
                double u = (px - w / 2.0 + 0.5) * pix, v = (py - h / 2.0 + 0.5) * pix;
                double x0 = cx + u * cos - v * sin, y0 = cy + u * sin + v * cos;
                double zr = julia ? x0 : 0, zi = julia ? y0 : 0, ar = julia ? cre : x0, ai = julia ? cim : y0;
                int it = 0;
                while (it < maxIter && zr * zr + zi * zi <= 256)
                {
                    double nr = zr * zr - zi * zi + ar;
                    zi = 2 * zr * zi + ai; zr = nr; it++;
                }
                int i = py * w + px;
                if (it >= maxIter) { WritePixel(d, i, ch, palette, 0, 0); continue; }
                double smooth = it + 1 - Math.Log2(Math.Log2(Math.Sqrt(zr * zr + zi * zi)));
                float tcol = (float)((smooth / 24.0 + phase) % 1.0);
                WritePixel(d, i, ch, palette, tcol, 1f);
            }
    }

    private static void WritePixel(Span<byte> d, int pixel, int channels, ReadOnlySpan<float> palette, float t, float brightness)
    {
        Palette.Lookup(palette, t, out float r, out float g, out float b);
        r *= brightness; g *= brightness; b *= brightness;
        if (channels == 3)
        {
            d[pixel * 3] = ToByte(r); d[pixel * 3 + 1] = ToByte(g); d[pixel * 3 + 2] = ToByte(b);
        }
        else d[pixel] = ToByte(0.299f * r + 0.587f * g + 0.114f * b);
    }

    private static byte ToByte(float v) => (byte)Math.Clamp((int)(v * 255f + 0.5f), 0, 255);
}
