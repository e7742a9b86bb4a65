namespace PixMix.Imaging.Tests.Ops;

internal static class TestImages
{
    public static ImageU8 Noise(int width, int height, int channels, int seed)
    {
        var image = new ImageU8(width, height, channels);
        new Random(seed).NextBytes(image.Span);
        return image;
    }

    public static ImageU8 FromRows(int channels, params byte[][] rows)
    {
        int height = rows.Length, width = rows[0].Length / channels;
        var image = new ImageU8(width, height, channels);
        for (int y = 0; y < height; y++) rows[y].CopyTo(image.Span.Slice(y * width * channels));
        return image;
    }
}
