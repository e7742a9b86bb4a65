namespace PixMix.Imaging.Formats;

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
        // A FIFO, device or socket named like a data file is refused before it is opened (opening a FIFO blocks).
        FileKinds.RequireRegularInput(full, "Data file");
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
