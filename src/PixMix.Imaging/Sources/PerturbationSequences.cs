using PixMix.Imaging.Formats;

namespace PixMix.Imaging.Sources;

/// <summary>
/// A CIFAR-10-P / ImageNet-P style perturbation file: uint8 .npy of shape (N, F, H, W, C), N sequences of F frames
/// each (C = 1 or 3). Read through a memory mapping; safe for concurrent reads; dispose to release the mapping.
/// </summary>
public sealed class PerturbationSequences : IDisposable
{
    private readonly NpyFile _file;
    private readonly int _frameBytes;

    private PerturbationSequences(NpyFile file)
    {
        _file = file;
        var s = file.Shape;
        if (file.DType != NpyDType.UInt8)
            throw new InvalidDataException($"Perturbation file '{file.Path}' holds {NpyDTypes.Descr(file.DType)} elements; frames must be uint8.");
        if (s.Count != 5 || s[4] is not (1 or 3) || s[1] < 1 || s[2] is < 1 or > 65536 || s[3] is < 1 or > 65536
            || s[2] * s[3] * s[4] > Array.MaxLength || s[1] > Array.MaxLength / (s[2] * s[3] * s[4]))
            throw new InvalidDataException($"Perturbation file '{file.Path}' has shape {NpyHeader.ShapeRepr(s)}; expected (N, frames, H, W, C) with C = 1 or 3.");
        Count = s[0];
        FrameCount = (int)s[1];
        Height = (int)s[2];
        Width = (int)s[3];
        Channels = (int)s[4];
        _frameBytes = Width * Height * Channels;
    }

    /// <summary>Opens a perturbation file.</summary>
    public static PerturbationSequences Open(string path, DataFileAccess access = DataFileAccess.MemoryMapped)
    {
        var file = NpyFile.Open(path, access);
        try { return new PerturbationSequences(file); }
        catch { file.Dispose(); throw; }
    }

    /// <summary>The perturbation names of a folder (its <c>*.npy</c> files other than labels.npy), ordinal order.</summary>
    public static IReadOnlyList<string> ListFolder(string folder)
    {
        var full = System.IO.Path.GetFullPath(folder);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"Perturbation folder '{full}' does not exist.");
        return Directory.EnumerateFiles(full, "*.npy").Select(p => System.IO.Path.GetFileNameWithoutExtension(p)!)
            .Where(n => n != "labels").Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The file's full path.</summary>
    public string Path => _file.Path;
    /// <summary>Number of sequences.</summary>
    public long Count { get; }
    /// <summary>Frames per sequence.</summary>
    public int FrameCount { get; }
    /// <summary>Frame width.</summary>
    public int Width { get; }
    /// <summary>Frame height.</summary>
    public int Height { get; }
    /// <summary>1 or 3.</summary>
    public int Channels { get; }
    /// <summary>Bytes of one frame (H*W*C).</summary>
    public int FrameLength => _frameBytes;

    /// <summary>Copies frame <paramref name="frame"/> of sequence <paramref name="sequence"/> (HWC).</summary>
    public void ReadFrame(long sequence, int frame, Span<byte> destination)
    {
        if ((ulong)sequence >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"'{Path}' has {Count} sequences.");
        if ((uint)frame >= (uint)FrameCount) throw new ArgumentOutOfRangeException(nameof(frame), frame, $"'{Path}' has {FrameCount} frames per sequence.");
        _file.ReadBytes((sequence * FrameCount + frame) * _frameBytes, destination[.._frameBytes]);
    }

    /// <summary>Copies a whole sequence (FrameCount frames, HWC each, one after the other).</summary>
    public void ReadSequence(long sequence, Span<byte> destination)
    {
        if ((ulong)sequence >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"'{Path}' has {Count} sequences.");
        int length = checked(FrameCount * _frameBytes);
        _file.ReadBytes(sequence * length, destination[..length]);
    }

    /// <summary>Frame <paramref name="frame"/> of every sequence, as an image source of <see cref="Count"/> images.</summary>
    public IImageSource Frame(int frame)
    {
        if ((uint)frame >= (uint)FrameCount) throw new ArgumentOutOfRangeException(nameof(frame), frame, $"'{Path}' has {FrameCount} frames per sequence.");
        return new FrameSource(this, frame);
    }

    /// <summary>Every frame, sequence after sequence, as an image source of <see cref="Count"/> x <see cref="FrameCount"/> images (the flattened layout).</summary>
    public IImageSource AllFrames() => new AllFramesSource(this);

    /// <summary>Releases the mapping.</summary>
    public void Dispose() => _file.Dispose();

    private sealed class FrameSource(PerturbationSequences owner, int frame) : IImageSource
    {
        public long Count => owner.Count;
        public int Width => owner.Width;
        public int Height => owner.Height;
        public int Channels => owner.Channels;
        public bool HasLabels => false;
        public IReadOnlyList<string>? ClassNames => null;
        public void ReadImage(long index, Span<byte> destination) => owner.ReadFrame(index, frame, destination);
        public int ReadLabel(long index) => throw new InvalidOperationException($"'{owner.Path}' has no labels.");
    }

    private sealed class AllFramesSource(PerturbationSequences owner) : IImageSource
    {
        public long Count => owner.Count * owner.FrameCount;
        public int Width => owner.Width;
        public int Height => owner.Height;
        public int Channels => owner.Channels;
        public bool HasLabels => false;
        public IReadOnlyList<string>? ClassNames => null;
        public void ReadImage(long index, Span<byte> destination) => owner.ReadFrame(index / owner.FrameCount, (int)(index % owner.FrameCount), destination);
        public int ReadLabel(long index) => throw new InvalidOperationException($"'{owner.Path}' has no labels.");
    }
}
