namespace PixMix.Imaging.Perturbations;

/// <summary>
/// The source image of a precomputed warp (<see cref="AffineWarp"/>, <see cref="TiltWarp"/>), padded by one pixel on
/// each side (a copy of the edge or 0) and followed by a block of zeros, so that every output pixel blends the four
/// pixels at one offset, one pixel to the right and one row below, with no bounds checks or clamping.
/// </summary>
internal static class WarpSource
{
    /// <summary>The bytes a padded source of a w x h x c image needs.</summary>
    public static int Length(int w, int h, int c) => (h + 4) * Stride(w, c) + 16;

    /// <summary>The bytes of one padded row.</summary>
    public static int Stride(int w, int c) => (w + 2) * c;

    /// <summary>The offset of the zeros after the padded image: all four neighbours of a point there are 0.</summary>
    public static int ZeroOffset(int w, int h, int c) => (h + 2) * Stride(w, c);

    /// <summary>The offset of source pixel (x, y), -1 &lt;= x &lt;= w and -1 &lt;= y &lt;= h.</summary>
    public static int Offset(int x, int y, int w, int c) => ((y + 1) * (w + 2) + x + 1) * c;

    /// <summary>Writes <paramref name="image"/> padded into <paramref name="dst"/>: the border repeats the edge pixels, or is 0.</summary>
    public static void Pad(ImageU8 image, Span<byte> dst, bool repeatEdge)
    {
        int w = image.Width, h = image.Height, c = image.Channels, row = w * c, stride = Stride(w, c);
        var src = image.Span;
        dst = dst[..Length(w, h, c)];
        dst.Clear();
        for (int y = -1; y <= h; y++)
        {
            int sy = Math.Clamp(y, 0, h - 1);
            if (!repeatEdge && sy != y) continue;
            var line = dst.Slice((y + 1) * stride, stride);
            src.Slice(sy * row, row).CopyTo(line[c..]);
            if (repeatEdge)
            {
                src.Slice(sy * row, c).CopyTo(line);
                src.Slice(sy * row + row - c, c).CopyTo(line[(row + c)..]);
            }
        }
    }
}
