namespace PixMix.MLNet.Evaluation;

/// <summary>
/// The clean images as a chain's entry sees them, spilled to a temporary file as they are read (the file is deleted
/// when the source is disposed, or at the latest when the process ends), so memory stays flat for any test set.
/// </summary>
internal sealed class SpilledImageSource : IImageSource, IDisposable
{
    private readonly FileStream _file;
    private readonly List<int> _labels = [];
    private readonly int _length;

    public SpilledImageSource(int width, int height, int channels, bool hasLabels, IReadOnlyList<string>? classNames)
    {
        Width = width; Height = height; Channels = channels; HasLabels = hasLabels; ClassNames = classNames;
        _length = checked(width * height * channels);
        _file = new FileStream(Path.Combine(Path.GetTempPath(), $"pixmix-entry-{Guid.NewGuid():N}.bin"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
    }

    public long Count => _labels.Count;
    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    public bool HasLabels { get; }
    public IReadOnlyList<string>? ClassNames { get; }

    public void Add(ReadOnlySpan<byte> image, int label)
    {
        if (image.Length != _length) throw new ArgumentException($"Expected {_length} bytes, got {image.Length}.", nameof(image));
        _file.Write(image);
        _labels.Add(label);
    }

    /// <summary>Ends the writing; reads may start.</summary>
    public void Complete() => _file.Flush();

    public void ReadImage(long index, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        int read = RandomAccess.Read(_file.SafeFileHandle, destination[.._length], index * _length);
        if (read != _length) throw new IOException($"Short read of image {index} from the temporary file '{_file.Name}'.");
    }

    public int ReadLabel(long index) => _labels[(int)index];

    public void Dispose() => _file.Dispose();
}
