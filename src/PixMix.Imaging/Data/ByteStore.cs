using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace PixMix.Imaging.Data;

/// <summary>
/// Read-only random access to the bytes of a data file: a read-only memory mapping of a file on disk, or a byte
/// array (decompressed files, tests). Reads copy into the caller's span and are safe from several threads at once.
/// </summary>
internal abstract class ByteStore : IDisposable
{
    protected ByteStore(string name) => Name = name;

    /// <summary>The file name used in error messages.</summary>
    public string Name { get; }

    /// <summary>Total length in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>Copies <paramref name="destination"/>.Length bytes starting at <paramref name="offset"/>.</summary>
    public abstract void Read(long offset, Span<byte> destination);

    /// <summary>Reads the byte at <paramref name="offset"/>.</summary>
    public byte ReadByte(long offset)
    {
        Span<byte> one = stackalloc byte[1];
        Read(offset, one);
        return one[0];
    }

    /// <summary>Releases the mapping.</summary>
    public virtual void Dispose() { }

    /// <summary>
    /// Opens <paramref name="path"/> for random reads: memory-mapped read-only, or read with positioned reads
    /// (an empty file is held as an empty array: it cannot be mapped).
    /// </summary>
    public static ByteStore Open(string path, DataFileAccess access)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"Data file '{full}' does not exist.", full);
        if (access == DataFileAccess.PositionedReads) return new FileStore(full);
        var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1, FileOptions.RandomAccess);
        if (stream.Length == 0)
        {
            stream.Dispose();
            return new ArrayStore(Array.Empty<byte>(), full);
        }
        return new MappedStore(stream, full);
    }

    /// <summary>Checks that [offset, offset + count) lies inside the store.</summary>
    protected void CheckRange(long offset, long count)
    {
        if (offset < 0 || count < 0 || offset > Length - count)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Range [{offset}, {offset}+{count}) lies outside '{Name}' ({Length} bytes).");
    }
}

/// <summary>A <see cref="ByteStore"/> over a byte array.</summary>
internal sealed class ArrayStore : ByteStore
{
    private readonly byte[] _bytes;
    private readonly int _length;

    public ArrayStore(byte[] bytes, string name) : this(bytes, bytes.Length, name) { }

    public ArrayStore(byte[] bytes, int length, string name) : base(name)
    {
        _bytes = bytes;
        _length = length;
    }

    public override long Length => _length;

    public override void Read(long offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        _bytes.AsSpan((int)offset, destination.Length).CopyTo(destination);
    }
}

/// <summary>A <see cref="ByteStore"/> reading a file with positioned reads (pread), which are thread-safe.</summary>
internal sealed class FileStore : ByteStore
{
    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _handle;
    private readonly long _length;

    public FileStore(string path) : base(path)
    {
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.RandomAccess);
        _length = RandomAccess.GetLength(_handle);
    }

    public override long Length => _length;

    public override void Read(long offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        while (destination.Length > 0)
        {
            int n = RandomAccess.Read(_handle, destination, offset);
            if (n == 0) throw new InvalidDataException($"'{Name}' ended at byte {offset}, before its declared length {_length}; it was truncated while open.");
            destination = destination[n..];
            offset += n;
        }
    }

    public override void Dispose() => _handle.Dispose();
}

/// <summary>A <see cref="ByteStore"/> over a read-only memory mapping of a whole file.</summary>
internal sealed unsafe class MappedStore : ByteStore
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly long _length;
    private byte* _pointer;
    private int _disposed;

    public MappedStore(FileStream stream, string name) : base(name)
    {
        _length = stream.Length;
        try
        {
            _file = MemoryMappedFile.CreateFromFile(stream, mapName: null, capacity: 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        try
        {
            _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* p = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            _pointer = p + _view.PointerOffset;
        }
        catch
        {
            _view?.Dispose();
            _file.Dispose();
            throw;
        }
    }

    public override long Length => _length;

    public override void Read(long offset, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        CheckRange(offset, destination.Length);
        new ReadOnlySpan<byte>(_pointer + offset, destination.Length).CopyTo(destination);
    }

    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _pointer = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
