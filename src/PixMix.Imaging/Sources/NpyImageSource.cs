using PixMix.Imaging.Formats;

namespace PixMix.Imaging.Sources;

/// <summary>
/// An <see cref="IImageSource"/> over a uint8 .npy array of shape (N, H, W, C) with C = 1 or 3, or (N, H, W) for grey
/// images, optionally restricted to a block of consecutive images, with labels from a second .npy file. Images are
/// read from the memory-mapped file on demand; labels (a few hundred kilobytes at most) are held in memory.
/// Safe for concurrent reads.
/// </summary>
public sealed class NpyImageSource : IImageSource, IDisposable
{
    private readonly NpyFile _images;
    private readonly bool _ownsImages;
    private readonly long _start;
    private readonly int[]? _labels;
    private readonly long _labelStart;
    private readonly int _imageBytes;

    /// <summary>
    /// Creates a source over images [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of
    /// <paramref name="images"/>; label of image i is <paramref name="labels"/>[<paramref name="labelStart"/> + i].
    /// </summary>
    internal NpyImageSource(NpyFile images, bool ownsImages, long start, long count, int[]? labels, long labelStart, IReadOnlyList<string>? classNames)
    {
        (Height, Width, Channels) = ImageShape(images);
        if (start < 0 || count < 0 || start > images.Shape[0] - count)
            throw new ArgumentOutOfRangeException(nameof(start), $"Images [{start}, {start}+{count}) lie outside the {images.Shape[0]} images of '{images.Path}'.");
        if (labels is not null && (labelStart < 0 || labelStart > labels.Length - count))
            throw new ArgumentOutOfRangeException(nameof(labelStart), $"Labels [{labelStart}, {labelStart}+{count}) lie outside the {labels.Length} labels.");
        _images = images;
        _ownsImages = ownsImages;
        _start = start;
        Count = count;
        _labels = labels;
        _labelStart = labelStart;
        ClassNames = classNames;
        _imageBytes = Width * Height * Channels;
    }

    /// <summary>
    /// Opens an image array and, optionally, a label array with one label per image (any integer dtype).
    /// </summary>
    /// <param name="imagesPath">uint8 .npy of shape (N, H, W, C) or (N, H, W).</param>
    /// <param name="labelsPath">.npy of N integer labels, or null.</param>
    /// <param name="classNames">Class names indexed by label, or null.</param>
    /// <param name="access">How the image file is read.</param>
    public static NpyImageSource Open(string imagesPath, string? labelsPath = null, IReadOnlyList<string>? classNames = null, DataFileAccess access = DataFileAccess.MemoryMapped)
    {
        var images = NpyFile.Open(imagesPath, access);
        try
        {
            ImageShape(images);
            int[]? labels = null;
            if (labelsPath is not null)
            {
                labels = ReadLabelFile(labelsPath);
                if (labels.Length != images.Shape[0])
                    throw new InvalidDataException($"'{images.Path}' holds {images.Shape[0]} images but '{Path.GetFullPath(labelsPath)}' holds {labels.Length} labels.");
            }
            return new NpyImageSource(images, ownsImages: true, 0, images.Shape[0], labels, 0, classNames);
        }
        catch
        {
            images.Dispose();
            throw;
        }
    }

    /// <summary>Reads a 1-d integer label array.</summary>
    internal static int[] ReadLabelFile(string path)
    {
        using var file = NpyFile.Open(path);
        if (file.Rank != 1) throw new InvalidDataException($"Labels file '{file.Path}' has shape {NpyHeader.ShapeRepr(file.Shape)}; labels must be a 1-d array.");
        return file.ReadLabels();
    }

    /// <summary>(H, W, C) of an image array, validating dtype and rank.</summary>
    internal static (int Height, int Width, int Channels) ImageShape(NpyFile file)
    {
        if (file.DType != NpyDType.UInt8)
            throw new InvalidDataException($"Images file '{file.Path}' holds {NpyDTypes.Descr(file.DType)} elements; images must be uint8 ('|u1').");
        var s = file.Shape;
        if (s.Count is not (3 or 4) || (s.Count == 4 && s[3] is not (1 or 3)))
            throw new InvalidDataException($"Images file '{file.Path}' has shape {NpyHeader.ShapeRepr(s)}; expected (N, H, W, C) with C = 1 or 3, or (N, H, W).");
        if (s[1] is < 1 or > 65536 || s[2] is < 1 or > 65536 || s[1] * s[2] * (s.Count == 4 ? s[3] : 1) > Array.MaxLength)
            throw new InvalidDataException($"Images file '{file.Path}' has shape {NpyHeader.ShapeRepr(s)}; image height and width must be between 1 and 65536.");
        return ((int)s[1], (int)s[2], s.Count == 4 ? (int)s[3] : 1);
    }

    /// <summary>The underlying file.</summary>
    public NpyFile File => _images;
    /// <summary>Index of this source's first image in the file.</summary>
    public long Start => _start;
    /// <inheritdoc />
    public long Count { get; }
    /// <inheritdoc />
    public int Width { get; }
    /// <inheritdoc />
    public int Height { get; }
    /// <inheritdoc />
    public int Channels { get; }
    /// <inheritdoc />
    public bool HasLabels => _labels is not null;
    /// <inheritdoc />
    public IReadOnlyList<string>? ClassNames { get; }

    /// <inheritdoc />
    public void ReadImage(long index, Span<byte> destination)
    {
        if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The source has {Count} images.");
        if (destination.Length < _imageBytes) throw new ArgumentException($"destination holds {destination.Length} bytes; an image needs {_imageBytes}.", nameof(destination));
        _images.ReadBytes((_start + index) * _imageBytes, destination[.._imageBytes]);
    }

    /// <inheritdoc />
    public int ReadLabel(long index)
    {
        if (_labels is null) throw new InvalidOperationException($"'{_images.Path}' has no labels.");
        if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The source has {Count} images.");
        return _labels[_labelStart + index];
    }

    /// <summary>Releases the mapping when this source owns the file.</summary>
    public void Dispose()
    {
        if (_ownsImages) _images.Dispose();
    }
}
