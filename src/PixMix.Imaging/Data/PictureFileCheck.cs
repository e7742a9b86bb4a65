using SkiaSharp;

namespace PixMix.Imaging.Data;

/// <summary>
/// The checks a picture file passes before anything decodes it: a non-empty regular file (not a folder, device, FIFO
/// or socket, which all report no length), in a format SkiaSharp recognises from its header, whose pixel count is
/// within a budget. Only the header is read.
/// </summary>
public static class PictureFileCheck
{
    /// <summary>The default pixel budget of one picture: 64 megapixels (8192 x 8192).</summary>
    public const long DefaultMaxPixels = 1L << 26;

    /// <summary>Checks <paramref name="path"/> and returns its width and height.</summary>
    /// <exception cref="InvalidInputDataException">The file is missing, not a regular non-empty file, not a picture, or too large.</exception>
    public static (int Width, int Height) Check(string path, long maxPixels = DefaultMaxPixels)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        var info = new FileInfo(path);
        if (Directory.Exists(path)) throw new InvalidInputDataException($"Picture '{path}' is a folder; expected a picture file.", path);
        if (!info.Exists) throw new InvalidInputDataException($"Picture '{path}' does not exist.", path);
        // Device nodes, FIFOs and sockets report a length of 0, and an empty file is no picture either; this also keeps
        // a FIFO from blocking the open below.
        if (info.Length == 0) throw new InvalidInputDataException($"Picture '{path}' is empty or not a regular file (a device, FIFO or socket); expected a picture file.", path);
        SKCodec? codec;
        SKCodecResult result;
        try { codec = SKCodec.Create(path, out result); }
        catch (IOException e) { throw new InvalidInputDataException($"Cannot read picture '{path}': {e.Message}", path, e); }
        catch (UnauthorizedAccessException e) { throw new InvalidInputDataException($"Cannot read picture '{path}': {e.Message}", path, e); }
        if (codec is null) throw new InvalidInputDataException($"Cannot decode picture '{path}': {ImageCodec.DescribeOpenFailure(result, path)}.", path);
        using (codec)
        {
            int w = codec.Info.Width, h = codec.Info.Height;
            if (w < 1 || h < 1 || (long)w * h > maxPixels)
                throw new InvalidInputDataException($"Picture '{path}' is {w}x{h} pixels; at most {maxPixels} pixels are decoded.", path);
            return (w, h);
        }
    }
}
