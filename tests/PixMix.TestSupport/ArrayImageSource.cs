using PixMix.Imaging.Sources;

namespace PixMix.TestSupport;

/// <summary>
/// An in-memory image source of a fixed size: images given as byte arrays (HWC) or computed from their index, with
/// optional labels and class names.
/// </summary>
public sealed class ArrayImageSource : IImageSource
{
    private readonly IReadOnlyList<byte[]>? _images;
    private readonly Func<long, int, byte>? _pixel;
    private readonly Func<long, int>? _label;

    /// <summary>The given images (each <paramref name="width"/>*<paramref name="height"/>*<paramref name="channels"/> bytes, HWC), with a label per image or none.</summary>
    public ArrayImageSource(IReadOnlyList<byte[]> images, int width, int height, int channels,
        IReadOnlyList<int>? labels = null, IReadOnlyList<string>? classNames = null)
        : this(images.Count, width, height, channels, classNames)
    {
        int length = width * height * channels;
        for (int i = 0; i < images.Count; i++)
            if (images[i].Length != length) throw new ArgumentException($"image {i} has {images[i].Length} bytes, expected {length}.", nameof(images));
        if (labels is not null && labels.Count != images.Count)
            throw new ArgumentException($"{labels.Count} labels for {images.Count} images.", nameof(labels));
        _images = images;
        if (labels is not null) _label = index => labels[(int)index];
    }

    /// <summary>
    /// <paramref name="count"/> images whose byte <c>k</c> (HWC order) of image <c>i</c> is <c>pixel(i, k)</c>, labelled
    /// by <paramref name="label"/> or unlabelled. Nothing is held in memory.
    /// </summary>
    public ArrayImageSource(long count, int width, int height, int channels, Func<long, int, byte> pixel,
        Func<long, int>? label = null, IReadOnlyList<string>? classNames = null)
        : this(count, width, height, channels, classNames)
    {
        _pixel = pixel ?? throw new ArgumentNullException(nameof(pixel));
        _label = label;
    }

    private ArrayImageSource(long count, int width, int height, int channels, IReadOnlyList<string>? classNames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 or 3.");
        Count = count;
        Width = width;
        Height = height;
        Channels = channels;
        ClassNames = classNames;
    }

    /// <inheritdoc />
    public long Count { get; }
    /// <inheritdoc />
    public int Width { get; }
    /// <inheritdoc />
    public int Height { get; }
    /// <inheritdoc />
    public int Channels { get; }
    /// <inheritdoc />
    public bool HasLabels => _label is not null;
    /// <inheritdoc />
    public IReadOnlyList<string>? ClassNames { get; }

    /// <inheritdoc />
    public void ReadImage(long index, Span<byte> destination)
    {
        CheckIndex(index);
        if (_images is not null)
        {
            _images[(int)index].CopyTo(destination);
            return;
        }
        int length = Width * Height * Channels;
        for (int k = 0; k < length; k++) destination[k] = _pixel!(index, k);
    }

    /// <inheritdoc />
    public int ReadLabel(long index)
    {
        CheckIndex(index);
        return _label is { } label ? label(index) : throw new InvalidOperationException("This source has no labels.");
    }

    private void CheckIndex(long index)
    {
        if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in 0..{Count - 1}.");
    }
}
