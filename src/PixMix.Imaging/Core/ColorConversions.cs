namespace PixMix.Imaging;

/// <summary>Grey/RGB conversions.</summary>
public static class ColorConversions
{
    /// <summary>PIL's "L" conversion: L = (R*299 + G*587 + B*114) / 1000, rounded half up in PIL's fixed point.</summary>
    public static byte Luma(byte r, byte g, byte b) => (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);

    /// <summary>Returns <paramref name="image"/> with <paramref name="channels"/> channels: grey replicated to RGB, or RGB to luma.</summary>
    public static ImageU8 ToChannels(ImageU8 image, int channels)
    {
        if (image.Channels == channels) return image;
        var dst = new ImageU8(image.Width, image.Height, channels);
        Convert(image, dst);
        return dst;
    }

    /// <summary>Converts between grey and RGB (or copies when the channel counts agree); sizes must match.</summary>
    public static void Convert(ImageU8 src, ImageU8 dst)
    {
        if (src.Width != dst.Width || src.Height != dst.Height) throw new ArgumentException($"dst is {dst.Width}x{dst.Height}, src is {src.Width}x{src.Height}.", nameof(dst));
        var s = src.Span; var d = dst.Span; int n = src.Width * src.Height;
        if (src.Channels == dst.Channels) { s.CopyTo(d); return; }
        if (src.Channels == 1)
            for (int i = 0; i < n; i++) d[i * 3] = d[i * 3 + 1] = d[i * 3 + 2] = s[i];
        else
            for (int i = 0; i < n; i++) d[i] = Luma(s[i * 3], s[i * 3 + 1], s[i * 3 + 2]);
    }
}
