using PixMix.Imaging.Formats;

namespace PixMix.Imaging.Sources;

/// <summary>
/// Grey images from an idx image file (N, rows, cols) with labels from an idx label file (N), as in MNIST and
/// Fashion-MNIST. Thread-safe.
/// </summary>
public sealed class IdxImageSource : IImageSource, IDisposable
{
    private readonly IdxFile _images;
    private readonly byte[]? _labels;
    private readonly int _imageBytes;

    private readonly bool _transpose;

    /// <summary>
    /// Combines an image file and an optional label file; counts must agree. <paramref name="transpose"/> swaps rows and
    /// columns of every image (EMNIST stores its images transposed relative to MNIST).
    /// </summary>
    public IdxImageSource(IdxFile images, IdxFile? labels, IReadOnlyList<string>? classNames = null, bool transpose = false)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Dimensions.Count != 3)
            throw new InvalidDataException($"idx file '{images.Path}' has {images.Dimensions.Count} dimensions; an image file (magic 0x{IdxFile.ImagesMagic:X8}) has 3 (N, rows, cols).");
        int rows = images.Dimensions[1], cols = images.Dimensions[2];
        if (rows is < 1 or > 65536 || cols is < 1 or > 65536)
            throw new InvalidDataException($"idx file '{images.Path}' declares {rows}x{cols} images; rows and cols must be between 1 and 65536.");
        if (labels is not null)
        {
            if (labels.Dimensions.Count != 1)
                throw new InvalidDataException($"idx file '{labels.Path}' has {labels.Dimensions.Count} dimensions; a label file (magic 0x{IdxFile.LabelsMagic:X8}) has 1.");
            if (labels.Dimensions[0] != images.Dimensions[0])
                throw new InvalidDataException($"idx image file '{images.Path}' holds {images.Dimensions[0]} images but label file '{labels.Path}' holds {labels.Dimensions[0]} labels.");
            _labels = new byte[labels.Dimensions[0]];
            labels.Read(0, _labels);
            if (classNames is not null)
                for (int i = 0; i < _labels.Length; i++)
                    if (_labels[i] >= classNames.Count)
                        throw new InvalidDataException($"idx label file '{labels.Path}' label {i} is {_labels[i]}; there are {classNames.Count} classes (labels 0..{classNames.Count - 1}).");
        }
        _images = images;
        _transpose = transpose;
        Height = transpose ? cols : rows;
        Width = transpose ? rows : cols;
        _imageBytes = rows * cols;
        ClassNames = classNames;
    }

    /// <summary>Opens an image file and, optionally, a label file (raw or .gz).</summary>
    public static IdxImageSource Open(string imagesPath, string? labelsPath = null, IReadOnlyList<string>? classNames = null, bool transpose = false)
    {
        var images = IdxFile.Open(imagesPath);
        IdxFile? labels = null;
        try
        {
            labels = labelsPath is null ? null : IdxFile.Open(labelsPath);
            return new IdxImageSource(images, labels, classNames, transpose);
        }
        catch
        {
            images.Dispose();
            throw;
        }
        finally
        {
            labels?.Dispose();
        }
    }

    /// <inheritdoc />
    public long Count => _images.Dimensions[0];
    /// <inheritdoc />
    public int Width { get; }
    /// <inheritdoc />
    public int Height { get; }
    /// <inheritdoc />
    public int Channels => 1;
    /// <inheritdoc />
    public bool HasLabels => _labels is not null;
    /// <inheritdoc />
    public IReadOnlyList<string>? ClassNames { get; }

    /// <inheritdoc />
    public void ReadImage(long index, Span<byte> destination)
    {
        if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The source has {Count} images.");
        if (destination.Length < _imageBytes) throw new ArgumentException($"destination holds {destination.Length} bytes; an image needs {_imageBytes}.", nameof(destination));
        if (!_transpose)
        {
            _images.Read(index * _imageBytes, destination[.._imageBytes]);
            return;
        }
        byte[]? rented = null;
        Span<byte> stored = _imageBytes <= 4096 ? stackalloc byte[_imageBytes] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(_imageBytes)).AsSpan(0, _imageBytes);
        try
        {
            _images.Read(index * _imageBytes, stored);
            int rows = Width, cols = Height; // as stored
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                    destination[c * Width + r] = stored[r * cols + c];
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <inheritdoc />
    public int ReadLabel(long index)
    {
        if (_labels is null) throw new InvalidOperationException($"idx source '{_images.Path}' has no labels.");
        if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The source has {Count} images.");
        return _labels[index];
    }

    /// <summary>Releases the image file.</summary>
    public void Dispose() => _images.Dispose();
}
