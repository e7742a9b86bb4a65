namespace PixMix.Imaging.Tests.Corruptions;

/// <summary>Small deterministic test pictures.</summary>
internal static class CorruptionTestImages
{
    /// <summary>A textured picture: smooth gradients, a disc and stripes, different in each channel.</summary>
    public static ImageU8 Textured(int width, int height, int channels)
    {
        var img = new ImageU8(width, height, channels);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double u = x / (double)Math.Max(1, width - 1), v = y / (double)Math.Max(1, height - 1);
                double dx = u - 0.5, dy = v - 0.45;
                bool disc = dx * dx + dy * dy < 0.08;
                bool stripe = ((x / 3) + (y / 5)) % 2 == 0;
                for (int c = 0; c < channels; c++)
                {
                    double value = 40 + 120 * (c == 0 ? u : c == 1 ? v : 1 - u) + (disc ? 60 : 0) + (stripe ? 25 : 0);
                    img[x, y, c] = (byte)Math.Clamp(value, 0, 255);
                }
            }
        return img;
    }

    /// <summary>A picture filled with one value.</summary>
    public static ImageU8 Constant(int width, int height, int channels, byte value)
    {
        var img = new ImageU8(width, height, channels);
        img.Span.Fill(value);
        return img;
    }

    /// <summary>The grey picture repeated into R, G and B.</summary>
    public static ImageU8 GreyToRgb(ImageU8 grey)
    {
        var rgb = new ImageU8(grey.Width, grey.Height, 3);
        for (int i = 0; i < grey.Length; i++)
        {
            rgb.Data[3 * i] = grey.Data[i]; rgb.Data[3 * i + 1] = grey.Data[i]; rgb.Data[3 * i + 2] = grey.Data[i];
        }
        return rgb;
    }

    /// <summary>Mean absolute difference in levels.</summary>
    public static double MeanAbsDiff(ImageU8 a, ImageU8 b)
    {
        long sum = 0;
        for (int i = 0; i < a.Length; i++) sum += Math.Abs(a.Data[i] - b.Data[i]);
        return sum / (double)a.Length;
    }
}
