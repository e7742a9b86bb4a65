using PixMix.Imaging.Formats;

namespace PixMix.Imaging.Sources;

/// <summary>
/// The CIFAR-10 / CIFAR-100 binary versions. CIFAR-10 (folder <c>cifar-10-batches-bin</c>): <c>data_batch_1.bin</c> ..
/// <c>data_batch_5.bin</c> (train) and <c>test_batch.bin</c>, records of 1 label byte + 3072 pixel bytes, and
/// <c>batches.meta.txt</c> with the class names. CIFAR-100 (folder <c>cifar-100-binary</c>): <c>train.bin</c>,
/// <c>test.bin</c>, records of 1 coarse + 1 fine label byte + 3072 pixel bytes, <c>fine_label_names.txt</c>,
/// <c>coarse_label_names.txt</c>. Pixels are stored channel-planar (1024 R, 1024 G, 1024 B, rows top to bottom);
/// <see cref="ReadImage"/> returns them interleaved (HWC). Files are memory-mapped (or read with positioned reads,
/// see <see cref="DataFileAccess"/>); reads are thread-safe.
/// </summary>
public sealed class CifarBinarySource : IImageSource, IDisposable
{
    /// <summary>Image side.</summary>
    public const int Side = 32;
    /// <summary>Pixel bytes of one record.</summary>
    public const int PixelBytes = Side * Side * 3;

    /// <summary>The CIFAR-10 class names (used when batches.meta.txt is missing).</summary>
    public static IReadOnlyList<string> Cifar10ClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    private readonly ByteStore[] _files;
    private readonly long[] _firstIndex;
    private readonly int _labelBytes;
    private readonly int _labelOffset;
    private readonly int _classCount;
    private readonly int _recordSize;

    internal CifarBinarySource(ByteStore[] files, int labelBytes, int labelOffset, int classCount, IReadOnlyList<string>? classNames)
    {
        _recordSize = labelBytes + PixelBytes;
        _firstIndex = new long[files.Length + 1];
        try
        {
            for (int i = 0; i < files.Length; i++)
            {
                long length = files[i].Length;
                if (length == 0) throw new InvalidDataException($"CIFAR binary file '{files[i].Name}' is empty.");
                if (length % _recordSize != 0)
                    throw new InvalidDataException($"CIFAR binary file '{files[i].Name}' is {length} bytes long, not a multiple of the {_recordSize}-byte record ({labelBytes} label byte{(labelBytes > 1 ? "s" : "")} + {PixelBytes} pixels); it is truncated or not a {(labelBytes == 1 ? "CIFAR-10" : "CIFAR-100")} file.");
                _firstIndex[i + 1] = _firstIndex[i] + length / _recordSize;
            }
        }
        catch
        {
            foreach (var f in files) f.Dispose();
            throw;
        }
        _files = files;
        _labelBytes = labelBytes;
        _labelOffset = labelOffset;
        _classCount = classCount;
        ClassNames = classNames;
    }

    /// <summary>
    /// Opens CIFAR-10: <paramref name="folder"/> is <c>cifar-10-batches-bin</c> or its parent. Train reads
    /// data_batch_1..5.bin in order (50,000 images), test reads test_batch.bin (10,000).
    /// </summary>
    public static CifarBinarySource OpenCifar10(string folder, bool train, DataFileAccess access = DataFileAccess.MemoryMapped)
    {
        var dir = ResolveFolder(folder, "cifar-10-batches-bin", "test_batch.bin");
        var files = train ? Enumerable.Range(1, 5).Select(i => Path.Combine(dir, $"data_batch_{i}.bin")).ToArray() : [Path.Combine(dir, "test_batch.bin")];
        var names = ReadNames(Path.Combine(dir, "batches.meta.txt"), 10) ?? Cifar10ClassNames;
        return new CifarBinarySource(OpenAll(files, access), labelBytes: 1, labelOffset: 0, classCount: 10, names);
    }

    /// <summary>
    /// Opens CIFAR-100: <paramref name="folder"/> is <c>cifar-100-binary</c> or its parent; train.bin or test.bin,
    /// fine (100 classes) or coarse (20 superclasses) labels. Class names come from fine_label_names.txt /
    /// coarse_label_names.txt when present.
    /// </summary>
    public static CifarBinarySource OpenCifar100(string folder, bool train, CifarLabelKind labels = CifarLabelKind.Fine, DataFileAccess access = DataFileAccess.MemoryMapped)
    {
        var dir = ResolveFolder(folder, "cifar-100-binary", "test.bin");
        var file = Path.Combine(dir, train ? "train.bin" : "test.bin");
        bool fine = labels == CifarLabelKind.Fine;
        var names = ReadNames(Path.Combine(dir, fine ? "fine_label_names.txt" : "coarse_label_names.txt"), fine ? 100 : 20);
        return new CifarBinarySource(OpenAll([file], access), labelBytes: 2, labelOffset: fine ? 1 : 0, classCount: fine ? 100 : 20, names);
    }

    /// <summary>Reads CIFAR binary data held in memory (one array per file); names are used in messages.</summary>
    internal static CifarBinarySource FromBytes(byte[][] files, bool cifar100, CifarLabelKind labels = CifarLabelKind.Fine)
    {
        var stores = files.Select((f, i) => (ByteStore)new ArrayStore(f, $"<memory {i}>")).ToArray();
        return cifar100
            ? new CifarBinarySource(stores, 2, labels == CifarLabelKind.Fine ? 1 : 0, labels == CifarLabelKind.Fine ? 100 : 20, null)
            : new CifarBinarySource(stores, 1, 0, 10, Cifar10ClassNames);
    }

    private static string ResolveFolder(string folder, string standardName, string probe)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var full = Path.GetFullPath(folder);
        if (File.Exists(Path.Combine(full, probe))) return full;
        var nested = Path.Combine(full, standardName);
        if (File.Exists(Path.Combine(nested, probe))) return nested;
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"CIFAR folder '{full}' does not exist.");
        throw new FileNotFoundException($"'{full}' is not a {standardName} folder: '{probe}' is missing there and in '{nested}'.", Path.Combine(full, probe));
    }

    private static ByteStore[] OpenAll(string[] paths, DataFileAccess access)
    {
        var stores = new List<ByteStore>();
        try
        {
            foreach (var p in paths) stores.Add(ByteStore.Open(p, access));
            return [.. stores];
        }
        catch
        {
            foreach (var s in stores) s.Dispose();
            throw;
        }
    }

    private static string[]? ReadNames(string path, int expected)
    {
        if (!File.Exists(path)) return null;
        FileKinds.RequireRegularInput(path, "Class names file");
        var names = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (names.Length != expected)
            throw new InvalidDataException($"Class names file '{path}' lists {names.Length} names; expected {expected}.");
        return names;
    }

    /// <inheritdoc />
    public long Count => _firstIndex[^1];
    /// <inheritdoc />
    public int Width => Side;
    /// <inheritdoc />
    public int Height => Side;
    /// <inheritdoc />
    public int Channels => 3;
    /// <inheritdoc />
    public bool HasLabels => true;
    /// <inheritdoc />
    public IReadOnlyList<string>? ClassNames { get; }
    /// <summary>Number of classes of the chosen labels (10, 100 or 20).</summary>
    public int ClassCount => _classCount;

    private (ByteStore File, long Offset) Locate(long index)
    {
        if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The source has {Count} images.");
        int f = 0;
        while (index >= _firstIndex[f + 1]) f++;
        return (_files[f], (index - _firstIndex[f]) * _recordSize);
    }

    /// <inheritdoc />
    public void ReadImage(long index, Span<byte> destination)
    {
        if (destination.Length < PixelBytes) throw new ArgumentException($"destination holds {destination.Length} bytes; an image needs {PixelBytes}.", nameof(destination));
        var (file, offset) = Locate(index);
        Span<byte> planar = stackalloc byte[PixelBytes];
        file.Read(offset + _labelBytes, planar);
        PlanarToInterleaved(planar, destination);
    }

    /// <summary>Converts 3 planes of <c>n</c> bytes (R, G, B) into n interleaved RGB pixels.</summary>
    internal static void PlanarToInterleaved(ReadOnlySpan<byte> planar, Span<byte> hwc)
    {
        int n = planar.Length / 3;
        var r = planar[..n];
        var g = planar.Slice(n, n);
        var b = planar.Slice(2 * n, n);
        hwc = hwc[..(3 * n)];
        for (int i = 0, j = 0; i < n; i++, j += 3)
        {
            hwc[j] = r[i];
            hwc[j + 1] = g[i];
            hwc[j + 2] = b[i];
        }
    }

    /// <inheritdoc />
    public int ReadLabel(long index)
    {
        var (file, offset) = Locate(index);
        int label = file.ReadByte(offset + _labelOffset);
        if (label >= _classCount)
            throw new InvalidDataException($"CIFAR binary file '{file.Name}' record {offset / _recordSize} has label {label}; labels must be below {_classCount}.");
        return label;
    }

    /// <summary>Releases the mappings.</summary>
    public void Dispose()
    {
        foreach (var f in _files) f.Dispose();
    }
}
