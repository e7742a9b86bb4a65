using System.Buffers;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace PixMix.Imaging;

/// <summary>Reading and writing pictures (PNG, JPEG, ...) through SkiaSharp.</summary>
public static class ImageCodec
{
    /// <summary>Decodes <paramref name="path"/> to an 8-bit image with <paramref name="channels"/> channels (3 = RGB, 1 = grey by ITU-R 601 luma).</summary>
    public static ImageU8 Read(string path, int channels = 3)
    {
        FileKinds.RequireRegularInput(path, "Picture");
        using var stream = OpenRead(path);
        return Decode(stream, channels, path);
    }

    /// <summary>
    /// Decodes an encoded picture (the first frame of an animation); <paramref name="name"/> names it in errors. A picture
    /// the codec cannot decode completely (truncated or damaged data: any result but success) raises
    /// <see cref="Core.InvalidInputDataException"/> naming it, never a partly blank image.
    /// </summary>
    public static ImageU8 Decode(Stream stream, int channels, string name)
    {
        if (channels != 1 && channels != 3) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 or 3.");
        // The picture is read into memory and decoded from there: SkiaSharp reading a .NET stream through callbacks can
        // end the process on a request it does not expect. A JPEG's marker structure is also read, as Pillow's decoder
        // reads it.
        byte[] bytes;
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            bytes = copy.ToArray();
        }
        ReadOnlySpan<byte> head = bytes.AsSpan(0, Math.Min(12, bytes.Length));
        string? jpegDamage = JpegStructure.LooksLikeJpeg(head) ? JpegStructure.Check(new MemoryStream(bytes, writable: false)) : null;
        using var codec = SKCodec.Create(new SKMemoryStream(bytes), out var result);
        if (codec is null)
            throw new Core.InvalidInputDataException($"Picture '{name}' cannot be decoded: {DescribeOpenFailure(result, head)}.", name);
        if (!IsSupportedSize(codec.Info.Width, codec.Info.Height))
            throw new Core.InvalidInputDataException($"Picture '{name}' is not decoded: {PictureBudget.DescribeRefusal(codec.Info.Width, codec.Info.Height)}.", name);
        using var reservation = PictureBudget.ReserveDecode(codec.Info.Width, codec.Info.Height);
        using var bitmap = DecodeFirstFrame(codec, out var failure);
        if (bitmap is null)
            throw new Core.InvalidInputDataException($"Picture '{name}' cannot be decoded: {failure}.", name);
        if (jpegDamage is not null)
            throw new Core.InvalidInputDataException($"Picture '{name}' cannot be decoded: {jpegDamage}.", name);
        return FromRgba(bitmap, channels);
    }

    /// <summary>
    /// Decodes a file's pixels as RGB (3) or grey (1) bytes into a buffer rented from <see cref="ArrayPool{T}.Shared"/>
    /// (the caller returns it); throws <see cref="Core.InvalidInputDataException"/> naming the file. The image-folder path: no
    /// bitmap is allocated per picture.
    /// </summary>
    internal static byte[] DecodePooled(string path, bool grayscale, out int width, out int height)
    {
        FileKinds.RequireRegularInput(path, "Image");
        SKCodec? codec;
        try
        {
            codec = SKCodec.Create(path, out var result);
            if (codec is null) throw new Core.InvalidInputDataException($"Cannot decode image '{path}': {DescribeOpenFailure(result, path)}.", path);
        }
        catch (IOException e)
        {
            throw new Core.InvalidInputDataException($"Cannot read image '{path}': {e.Message}", path, e);
        }
        using (codec)
        {
            width = codec.Info.Width;
            height = codec.Info.Height;
            if (!IsSupportedSize(width, height))
                throw new Core.InvalidInputDataException($"Image '{path}' is not decoded: {PictureBudget.DescribeRefusal(width, height)}.", path);
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
                    throw new Core.InvalidInputDataException($"Cannot decode image '{path}': {DescribePixelsFailure(r)}.", path);
                if (codec.EncodedFormat == SKEncodedImageFormat.Jpeg && CheckJpegFile(path) is { } damage)
                    throw new Core.InvalidInputDataException($"Cannot decode image '{path}': {damage}.", path);
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

    /// <summary>Whether a picture of this size is decoded: at least 1x1 and within <see cref="PictureBudget.MaxPixels"/>.</summary>
    internal static bool IsSupportedSize(int width, int height) => PictureBudget.Allows(width, height);

    /// <summary>
    /// Decodes all pixels of the codec's first frame as unpremultiplied RGBA; null (with <paramref name="failure"/> saying
    /// why) when the size is not supported or the decoder reports anything but success (truncated or damaged data).
    /// </summary>
    private static SKBitmap? DecodeFirstFrame(SKCodec codec, out string failure)
    {
        int width = codec.Info.Width, height = codec.Info.Height;
        if (!IsSupportedSize(width, height))
        {
            failure = PictureBudget.DescribeRefusal(width, height);
            return null;
        }
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var r = codec.GetPixels(info, bitmap.GetPixels(), new SKCodecOptions(0));
        if (r == SKCodecResult.Success)
        {
            failure = "";
            return bitmap;
        }
        bitmap.Dispose();
        failure = DescribePixelsFailure(r);
        return null;
    }

    /// <summary>
    /// Whether <paramref name="path"/> decodes completely (all its pixels, first frame of an animation); otherwise
    /// <paramref name="reason"/> says why (truncated, corrupt, not a picture). Costs a full decode.
    /// </summary>
    public static bool TryValidate(string path, out string reason)
    {
        var kind = FileKinds.OfTarget(path);
        if (kind != FileKind.Regular)
        {
            reason = $"it is {FileKinds.Describe(kind)}, not a regular file (not opened)";
            return false;
        }
        try
        {
            using var codec = SKCodec.Create(path, out var result);
            if (codec is null) { reason = DescribeOpenFailure(result, path); return false; }
            if (!IsSupportedSize(codec.Info.Width, codec.Info.Height)) { reason = PictureBudget.DescribeRefusal(codec.Info.Width, codec.Info.Height); return false; }
            using var reservation = PictureBudget.ReserveDecode(codec.Info.Width, codec.Info.Height);
            using var bitmap = DecodeFirstFrame(codec, out reason);
            if (bitmap is null) return false;
            if (codec.EncodedFormat == SKEncodedImageFormat.Jpeg && CheckJpegFile(path) is { } damage)
            {
                reason = damage;
                return false;
            }
            return true;
        }
        catch (IOException e) { reason = e.Message; return false; }
        catch (UnauthorizedAccessException e) { reason = e.Message; return false; }
    }

    /// <summary>
    /// Decodes every file in full (in parallel, each once, as many at a time as <see cref="PictureBudget"/>'s decode
    /// memory allows) and returns, per file, null when it decodes or the reason it
    /// does not (see <see cref="TryValidate"/>): how folders of pictures find their damaged files before they are used.
    /// </summary>
    public static string?[] FindUndecodable(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var reasons = new string?[paths.Count];
        Parallel.For(0, paths.Count, i => reasons[i] = TryValidate(paths[i], out var why) ? null : why);
        return reasons;
    }

    /// <summary>
    /// Why SkiaSharp could not open a file as a picture: a file that starts with a known picture signature but cannot be
    /// read is damaged or truncated, anything else is not a picture.
    /// </summary>
    internal static string DescribeOpenFailure(SKCodecResult result, string path)
    {
        try
        {
            Span<byte> head = stackalloc byte[12];
            using var stream = File.OpenRead(path);
            return DescribeOpenFailure(result, head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)]);
        }
        catch (IOException) { return DescribeResult(result); }
        catch (UnauthorizedAccessException) { return DescribeResult(result); }
    }

    /// <summary>As <see cref="DescribeOpenFailure(SKCodecResult, string)"/>, from the file's first bytes.</summary>
    internal static string DescribeOpenFailure(SKCodecResult result, ReadOnlySpan<byte> head)
    {
        if (result is not (SKCodecResult.InvalidInput or SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput)) return DescribeResult(result);
        string? format = null;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])) format = "PNG";
        else if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8])) format = "JPEG";
        else if (head.StartsWith("GIF8"u8)) format = "GIF";
        else if (head.StartsWith("BM"u8)) format = "BMP";
        else if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) format = "WEBP";
        return format is null ? DescribeResult(result) : $"it starts like a {format} picture but its header cannot be read: the file is truncated or damaged";
    }

    /// <summary>What a failed decode of the pixels means (the header was read, so the data is cut short or damaged).</summary>
    internal static string DescribePixelsFailure(SKCodecResult result) => result == SKCodecResult.IncompleteInput
        ? DescribeResult(result)
        : $"its header is readable but its pixel data is not ({result}): the file is truncated or damaged";

    /// <summary>What a SkiaSharp codec result means, for messages.</summary>
    internal static string DescribeResult(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the file is truncated (the decoder ran out of data: incomplete input)",
        SKCodecResult.ErrorInInput => "the file's data is corrupt (error in input)",
        SKCodecResult.Unimplemented => "the format is not supported",
        SKCodecResult.InvalidInput => "the file is not a recognised picture (PNG, JPEG, BMP, GIF, WEBP)",
        _ => $"the decoder failed ({result})",
    };

    /// <summary>Reads the size of a picture without decoding it; false when it is not a decodable picture.</summary>
    public static bool TryReadInfo(string path, out int width, out int height)
    {
        width = height = 0;
        if (FileKinds.OfTarget(path) != FileKind.Regular) return false;
        try
        {
            using var codec = SKCodec.Create(path);
            if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0) return false;
            width = codec.Info.Width; height = codec.Info.Height;
            return true;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>Converts an RGBA bitmap to RGB or grey.</summary>
    internal static ImageU8 FromRgba(SKBitmap bitmap, int channels)
    {
        int w = bitmap.Width, h = bitmap.Height;
        var img = new ImageU8(w, h, channels);
        var src = bitmap.GetPixelSpan();
        var dst = img.Span;
        for (int i = 0; i < w * h; i++)
        {
            byte r = src[i * 4], g = src[i * 4 + 1], b = src[i * 4 + 2];
            if (channels == 3) { dst[i * 3] = r; dst[i * 3 + 1] = g; dst[i * 3 + 2] = b; }
            else dst[i] = (byte)((r * 299 + g * 587 + b * 114 + 500) / 1000);
        }
        return img;
    }

    /// <summary>Encodes <paramref name="image"/> as PNG into <paramref name="path"/>, atomically (temporary file, then rename).</summary>
    public static void WritePng(ImageU8 image, string path)
    {
        using var bitmap = ToBitmap(image);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, s => data.SaveTo(s));
    }

    /// <summary>An RGBA SkiaSharp bitmap of the image (grey replicated).</summary>
    public static SKBitmap ToBitmap(ImageU8 image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Span<byte> dst;
        unsafe { dst = new Span<byte>((void*)bitmap.GetPixels(), image.Width * image.Height * 4); }
        var src = image.Span;
        int n = image.Width * image.Height;
        for (int i = 0; i < n; i++)
        {
            if (image.Channels == 3) { dst[i * 4] = src[i * 3]; dst[i * 4 + 1] = src[i * 3 + 1]; dst[i * 4 + 2] = src[i * 3 + 2]; }
            else { dst[i * 4] = dst[i * 4 + 1] = dst[i * 4 + 2] = src[i]; }
            dst[i * 4 + 3] = 255;
        }
        return bitmap;
    }

    /// <summary>What is wrong with a JPEG file's marker structure (see <see cref="JpegStructure"/>), or null.</summary>
    private static string? CheckJpegFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return JpegStructure.Check(stream);
    }

    private static FileStream OpenRead(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Picture '{path}' does not exist.", path);
        return File.OpenRead(path);
    }
}
