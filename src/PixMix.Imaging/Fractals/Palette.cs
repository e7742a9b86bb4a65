namespace PixMix.Imaging.Fractals;

/// <summary>Random smooth colour palettes: a cyclic gradient through a few random hues.</summary>
internal static class Palette
{
    public const int Size = 64;

    public static void Random(ref PixMixRandom rng, Span<float> rgb)
    {
        int stops = rng.NextIntInclusive(3, 5);
        Span<float> stopRgb = stackalloc float[3 * 5];
        double baseHue = rng.NextDouble();
        for (int s = 0; s < stops; s++)
        {
            double hue = (baseHue + rng.Uniform(0, 0.6) * (rng.Bernoulli() ? 1 : -1) + 1) % 1.0;
            double sat = rng.Uniform(0.4, 1.0), val = rng.Uniform(0.5, 1.0);
            HsvToRgb(hue, sat, val, out stopRgb[s * 3], out stopRgb[s * 3 + 1], out stopRgb[s * 3 + 2]);
        }
        for (int i = 0; i < Size; i++)
        {
            double pos = (double)i / Size * stops;
            int a = (int)pos % stops, b = (a + 1) % stops;
            float f = (float)(pos - Math.Floor(pos));
            f = f * f * (3 - 2 * f);
            for (int c = 0; c < 3; c++) rgb[i * 3 + c] = stopRgb[a * 3 + c] * (1 - f) + stopRgb[b * 3 + c] * f;
        }
    }

    public static void Lookup(ReadOnlySpan<float> rgb, float t, out float r, out float g, out float b)
    {
        int i = Math.Clamp((int)(t * Size), 0, Size - 1);
        r = rgb[i * 3]; g = rgb[i * 3 + 1]; b = rgb[i * 3 + 2];
    }

    private static void HsvToRgb(double h, double s, double v, out float r, out float g, out float b)
    {
        double hh = h * 6; int sector = (int)Math.Floor(hh) % 6; double f = hh - Math.Floor(hh);
        double p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        (double rr, double gg, double bb) = sector switch
        {
            0 => (v, t, p), 1 => (q, v, p), 2 => (p, v, t), 3 => (p, q, v), 4 => (t, p, v), _ => (v, p, q),
        };
        r = (float)rr; g = (float)gg; b = (float)bb;
    }
}
