using System.IO.MemoryMappedFiles;

namespace PixMix.Imaging.Formats;

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
