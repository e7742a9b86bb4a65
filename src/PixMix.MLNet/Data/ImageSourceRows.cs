namespace PixMix.MLNet.Data;

/// <summary>Pixel conversions between the sources' HWC bytes and ML.NET's images.</summary>
internal static class ImageSourceRows
{
    /// <summary>HWC grey or RGB bytes to RGBA (opaque).</summary>
    internal static void ToRgba(ReadOnlySpan<byte> pixels, int channels, Span<byte> rgba)
    {
        int n = rgba.Length / 4;
        for (int i = 0; i < n; i++)
        {
            if (channels == 1) { byte v = pixels[i]; rgba[4 * i] = v; rgba[4 * i + 1] = v; rgba[4 * i + 2] = v; }
            else { rgba[4 * i] = pixels[3 * i]; rgba[4 * i + 1] = pixels[3 * i + 1]; rgba[4 * i + 2] = pixels[3 * i + 2]; }
            rgba[4 * i + 3] = 255;
        }
    }

    /// <summary>
    /// An <c>MLImage</c>'s pixels (BGRA32 or RGBA32, rows of any stride) as HWC RGB bytes; errors name row
    /// <paramref name="row"/> of column <paramref name="column"/> (the message is built only then: this runs per row).
    /// </summary>
    internal static void ToRgb(MLImage image, Span<byte> rgb, string column, long row)
    {
        int w = image.Width, h = image.Height;
        var pixels = image.Pixels;
        int stride = pixels.Length / h;
        if (stride < 4 * w) throw new InvalidOperationException($"Row {row} of column '{column}': the image holds {pixels.Length} bytes for {w}x{h} pixels; expected 4 bytes per pixel.");
        (int r, int b) = image.PixelFormat switch
        {
            MLPixelFormat.Bgra32 => (2, 0),
            MLPixelFormat.Rgba32 => (0, 2),
            var f => throw new InvalidOperationException($"Row {row} of column '{column}': unsupported pixel format {f}; expected BGRA32 or RGBA32."),
        };
        for (int y = 0; y < h; y++)
        {
            var line = pixels.Slice(y * stride, 4 * w);
            var outLine = rgb.Slice(y * 3 * w, 3 * w);
            for (int x = 0; x < w; x++)
            {
                outLine[3 * x] = line[4 * x + r];
                outLine[3 * x + 1] = line[4 * x + 1];
                outLine[3 * x + 2] = line[4 * x + b];
            }
        }
    }
}
