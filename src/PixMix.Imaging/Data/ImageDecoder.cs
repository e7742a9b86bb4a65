using System.Buffers;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace PixMix.Imaging.Data;

/// <summary>
/// Decodes an image file with SkiaSharp into 8-bit RGB or grey (alpha dropped, like Pillow's convert('RGB')),
/// resizes its shorter side (Pillow-exact bilinear) and centre-crops it (torchvision's CenterCrop rounding).
/// </summary>
internal static class ImageDecoder
{
    /// <summary>
    /// Decodes <paramref name="path"/>, converts it to RGB or grey, resizes its shorter side to <paramref name="shorter"/>
    /// and writes the centre <paramref name="size"/> x <paramref name="size"/> crop into <paramref name="destination"/>.
    /// Working buffers come from the shared array pool.
    /// </summary>
    public static void DecodeResizeCrop(string path, bool grayscale, int shorter, int size, Span<byte> destination)
    {
        var pixels = Decode(path, grayscale, out int width, out int height);
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
    /// Decodes a file's pixels as RGB (3) or grey (1) bytes into a buffer rented from <see cref="ArrayPool{T}.Shared"/>
    /// (the caller returns it); throws <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    public static byte[] Decode(string path, bool grayscale, out int width, out int height)
    {
        FileKinds.RequireRegularInput(path, "Image");
        SKCodec? codec;
        try
        {
            codec = SKCodec.Create(path, out var result);
            if (codec is null) throw new InvalidInputDataException($"Cannot decode image '{path}': {ImageCodec.DescribeOpenFailure(result, path)}.", path);
        }
        catch (IOException e)
        {
            throw new InvalidInputDataException($"Cannot read image '{path}': {e.Message}", path, e);
        }
        using (codec)
        {
            width = codec.Info.Width;
            height = codec.Info.Height;
            if (!ImageCodec.IsSupportedSize(width, height))
                throw new InvalidInputDataException($"Image '{path}' is not decoded: {PictureBudget.DescribeRefusal(width, height)}.", path);
            using var reservation = PictureBudget.ReserveDecode(width, height);
            var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            var rgba = ArrayPool<byte>.Shared.Rent(info.BytesSize);
            try
            {
                var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
                SKCodecResult r;
                try
                {
                    r = codec.GetPixels(info, handle.AddrOfPinnedObject(), new SKCodecOptions(0));
                }
                finally
                {
                    handle.Free();
                }
                // Anything but success (incomplete input, error in input, ...) leaves part of the picture undecoded.
                if (r != SKCodecResult.Success)
                    throw new InvalidInputDataException($"Cannot decode image '{path}': {ImageCodec.DescribePixelsFailure(r)}.", path);
                return ToRgbOrGrey(rgba, width * height, grayscale);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rgba);
            }
        }
    }

    private static byte[] ToRgbOrGrey(byte[] rgba, int n, bool grayscale)
    {
        var pixels = ArrayPool<byte>.Shared.Rent(n * (grayscale ? 1 : 3));
        if (grayscale)
        {
            // Pillow's convert('L'): ITU-R 601-2 luma in 16-bit fixed point.
            for (int i = 0, j = 0; i < n; i++, j += 4)
                pixels[i] = (byte)((rgba[j] * 19595 + rgba[j + 1] * 38470 + rgba[j + 2] * 7471 + 0x8000) >> 16);
        }
        else
        {
            for (int i = 0, j = 0, o = 0; i < n; i++, j += 4, o += 3)
            {
                pixels[o] = rgba[j];
                pixels[o + 1] = rgba[j + 1];
                pixels[o + 2] = rgba[j + 2];
            }
        }
        return pixels;
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
                PillowResampler.Resize(resized, width, height, channels, rented, rw, rh, PillowFilter.Bilinear);
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
