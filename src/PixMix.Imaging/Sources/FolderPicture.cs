using System.Buffers;

namespace PixMix.Imaging.Sources;

/// <summary>
/// The picture of an image-folder row: decoded by <see cref="ImageCodec"/> into 8-bit RGB or grey, its shorter side
/// resized (Pillow-exact bilinear) and its centre cropped (torchvision's CenterCrop rounding).
/// </summary>
internal static class FolderPicture
{
    /// <summary>
    /// Decodes <paramref name="path"/>, converts it to RGB or grey, resizes its shorter side to <paramref name="shorter"/>
    /// and writes the centre <paramref name="size"/> x <paramref name="size"/> crop into <paramref name="destination"/>.
    /// Working buffers come from the shared array pool.
    /// </summary>
    public static void DecodeResizeCrop(string path, bool grayscale, int shorter, int size, Span<byte> destination)
    {
        var pixels = ImageCodec.DecodePooled(path, grayscale, out int width, out int height);
        try
        {
            ResizeAndCrop(pixels, width, height, grayscale ? 1 : 3, shorter, size, destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pixels);
        }
    }

    /// <summary>
    /// Resizes the shorter side to <paramref name="shorter"/> (the longer one to int(shorter * long / short), as
    /// torchvision) and crops the centre <paramref name="size"/> x <paramref name="size"/>.
    /// </summary>
    public static void ResizeAndCrop(byte[] pixels, int width, int height, int channels, int shorter, int size, Span<byte> destination)
    {
        int rw, rh;
        if (width <= height)
        {
            rw = shorter;
            rh = (int)((long)shorter * height / width);
        }
        else
        {
            rh = shorter;
            rw = (int)((long)shorter * width / height);
        }
        rw = Math.Max(rw, size);
        rh = Math.Max(rh, size);
        byte[]? rented = null;
        ReadOnlySpan<byte> resized = pixels.AsSpan(0, width * height * channels);
        try
        {
            if (rw != width || rh != height)
            {
                rented = ArrayPool<byte>.Shared.Rent(rw * rh * channels);
                Resampler.Resize(resized, width, height, channels, rented, rw, rh, PillowFilter.Bilinear);
                resized = rented.AsSpan(0, rw * rh * channels);
            }
            int top = (int)Math.Round((rh - size) / 2.0, MidpointRounding.ToEven);
            int left = (int)Math.Round((rw - size) / 2.0, MidpointRounding.ToEven);
            for (int y = 0; y < size; y++)
                resized.Slice(((top + y) * rw + left) * channels, size * channels).CopyTo(destination.Slice(y * size * channels, size * channels));
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
