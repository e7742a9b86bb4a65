namespace PixMix.Imaging.Formats;

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
