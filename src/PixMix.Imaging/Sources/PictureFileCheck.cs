using SkiaSharp;
using PixMix.Imaging.Core;

namespace PixMix.Imaging.Sources;

/// <summary>
/// The checks a picture file passes before anything decodes it: a non-empty regular file (not a folder, device, FIFO
/// or socket), in a format SkiaSharp recognises from its header, whose pixel count is
/// within the picture budget (<see cref="PictureBudget.MaxPixels"/>, the one every decode uses). Only the header is read.
/// </summary>
public static class PictureFileCheck
{
    /// <summary>The default pixel budget of one picture: <see cref="PictureBudget.DefaultMaxPixels"/> (Pillow's 89,478,485).</summary>
    public const long DefaultMaxPixels = PictureBudget.DefaultMaxPixels;

    /// <summary>Checks <paramref name="path"/> against the current <see cref="PictureBudget.MaxPixels"/> and returns its width and height.</summary>
    /// <exception cref="InvalidInputDataException">The file is missing, not a regular non-empty file, not a picture, or too large.</exception>
    public static (int Width, int Height) Check(string path) => Check(path, PictureBudget.MaxPixels);

    /// <summary>Checks <paramref name="path"/> against <paramref name="maxPixels"/> and returns its width and height.</summary>
    /// <exception cref="InvalidInputDataException">The file is missing, not a regular non-empty file, not a picture, or too large.</exception>
    public static (int Width, int Height) Check(string path, long maxPixels)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        var info = new FileInfo(path);
        if (Directory.Exists(path)) throw new InvalidInputDataException($"Picture '{path}' is a folder; expected a picture file.", path);
        if (!info.Exists) throw new InvalidInputDataException($"Picture '{path}' does not exist.", path);
        // lstat tells devices, FIFOs and sockets apart without opening them (opening a FIFO would block).
        var kind = FileKinds.OfTarget(path);
        if (kind != FileKind.Regular)
            throw new InvalidInputDataException($"Picture '{path}' is {FileKinds.Describe(kind)}, not a regular file; expected a picture file (it is not opened).", path);
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
                throw new InvalidInputDataException($"Picture '{path}' is not decoded: its header declares {w}x{h} = {(long)w * h:N0} pixels; at most {maxPixels:N0} pixels are decoded " +
                    $"(PictureBudget.MaxPixels; environment variable {PictureBudget.MaxPixelsVariable}).", path);
            return (w, h);
        }
    }
}
