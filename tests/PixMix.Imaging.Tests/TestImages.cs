using PixMix.Imaging;

namespace PixMix.Imaging.Tests;

/// <summary>Deterministic test pictures.</summary>
internal static class TestImages
{
    public static ImageU8 Gradient(int w, int h, int c = 3, int seed = 1)
    {
        var img = new ImageU8(w, h, c);
        var rng = new PixMixRandom((ulong)seed);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int ch = 0; ch < c; ch++)
                    img[x, y, ch] = (byte)Math.Clamp((x * 255 / Math.Max(1, w - 1) + y * 97 / Math.Max(1, h - 1) * (ch + 1) + rng.NextInt(24)) % 256, 0, 255);
        return img;
    }
}
