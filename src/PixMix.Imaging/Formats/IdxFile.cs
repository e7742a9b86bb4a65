using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace PixMix.Imaging.Formats;

/// <summary>
/// An idx file (the MNIST / Fashion-MNIST format), raw or gzip-compressed: a big-endian header (two zero bytes, an
/// element type code, the number of dimensions, then each dimension as a 32-bit big-endian integer) followed by the
/// elements in C order. Magic 0x00000803 is an image file (N, rows, cols), 0x00000801 a label file (N). Only unsigned
/// byte elements (type code 0x08) are supported. Raw files are memory-mapped; gzip files are decompressed once into
/// memory, the buffer growing only as data actually arrive, so a header that declares a huge size cannot cause a huge
/// allocation, and a header declaring more than deflate can inflate from the file's size is refused before
/// decompressing. A gzip file must end with the trailer of its one member: the CRC-32 and length (mod 2^32) of the
/// decompressed data are checked against it, so a cut-off, damaged or appended-to file is refused. Malformed files raise
/// <see cref="InvalidDataException"/> naming the file.
/// </summary>
public sealed class IdxFile : IDisposable
{
    /// <summary>The magic number of an unsigned-byte image file (3 dimensions).</summary>
    public const int ImagesMagic = 0x00000803;
    /// <summary>The magic number of an unsigned-byte label file (1 dimension).</summary>
    public const int LabelsMagic = 0x00000801;
    /// <summary>Largest number of dimensions accepted.</summary>
    public const int MaxDimensions = 8;
    /// <summary>Deflate inflates at most about 1032 bytes from one compressed byte.</summary>
    private const int MaxDeflateRatio = 1032;
    /// <summary>A gzip header (10 bytes) and trailer (8 bytes) at least.</summary>
    private const int MinGzipLength = 18;

    private readonly ByteStore _store;
    private readonly int[] _dimensions;

    private IdxFile(ByteStore store, int[] dimensions, int headerLength)
    {
        _store = store;
        _dimensions = dimensions;
        DataOffset = headerLength;
        ElementCount = store.Length - headerLength;
    }

    /// <summary>
    /// Opens a raw or gzip idx file (gzip is recognised by its magic bytes, not by the name); <paramref name="access"/>
    /// applies to raw files.
    /// </summary>
    public static IdxFile Open(string path, DataFileAccess access = DataFileAccess.MemoryMapped)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"idx file '{full}' does not exist.", full);
        FileKinds.RequireRegularInput(full, "idx file");
        bool gzip;
        using (var probe = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
        {
            Span<byte> head = stackalloc byte[2];
            gzip = probe.Read(head) == 2 && head[0] == 0x1F && head[1] == 0x8B;
        }
        if (gzip)
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return Decompress(stream, full);
        }
        var store = ByteStore.Open(full, access);
        try
        {
            return FromStore(store);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Reads an idx file (raw or gzip) held in memory; <paramref name="name"/> is used in messages.</summary>
    internal static IdxFile FromBytes(byte[] bytes, string name = "<memory>")
    {
        if (bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B)
        {
            using var ms = new MemoryStream(bytes, writable: false);
            return Decompress(ms, name);
        }
        return FromStore(new ArrayStore(bytes, name));
    }

    private static IdxFile FromStore(ByteStore store)
    {
        Span<byte> head = stackalloc byte[4 + 4 * MaxDimensions];
        int available = (int)Math.Min(head.Length, store.Length);
        store.Read(0, head[..available]);
        var (dims, headerLength, _) = ParseHeader(head[..available], store.Name, store.Length, exactLength: true);
        return new IdxFile(store, dims, headerLength);
    }

    /// <summary>Parses and validates the header; <paramref name="head"/> may be shorter than the full header (truncated file).</summary>
    private static (int[] Dims, int HeaderLength, long Count) ParseHeader(ReadOnlySpan<byte> head, string name, long length, bool exactLength)
    {
        if (head.Length < 4) throw Bad(name, $"the file is {head.Length} bytes long, too short for the 4-byte magic number (truncated)");
        if (head[0] != 0 || head[1] != 0)
            throw Bad(name, $"the magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(head):X8} does not start with two zero bytes (not an idx file)");
        if (head[2] != 0x08)
        {
            string type = head[2] switch { 0x09 => "int8", 0x0B => "int16", 0x0C => "int32", 0x0D => "float32", 0x0E => "float64", _ => "unknown" };
            throw Bad(name, $"element type code 0x{head[2]:X2} ({type}) is not supported; only unsigned bytes (0x08) are");
        }
        int rank = head[3];
        if (rank is < 1 or > MaxDimensions) throw Bad(name, $"the magic number declares {rank} dimensions; 1 to {MaxDimensions} are supported");
        int headerLength = 4 + 4 * rank;
        if (head.Length < headerLength) throw Bad(name, $"the header needs {headerLength} bytes but the file has only {head.Length} (truncated)");
        var dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(head[(4 + 4 * i)..]);
            if (d > int.MaxValue) throw Bad(name, $"dimension {i} is {d}, too large");
            dims[i] = (int)d;
            count = d == 0 || count == 0 ? 0 : count > long.MaxValue / d ? long.MaxValue : count * d;
        }
        if (count > Array.MaxLength) throw Bad(name, $"the dimensions ({string.Join(" x ", dims)}) declare {count} bytes of data, more than supported");
        if (exactLength)
        {
            long data = length - headerLength;
            if (data < count) throw Bad(name, $"the dimensions ({string.Join(" x ", dims)}) declare {count} bytes of data but only {data} follow the header (truncated)");
            if (data > count) throw Bad(name, $"the dimensions ({string.Join(" x ", dims)}) declare {count} bytes of data but {data} follow the header ({data - count} extra)");
        }
        return (dims, headerLength, count);
    }

    private static IdxFile Decompress(Stream compressed, string name)
    {
        long compressedLength = compressed.Length;
        if (compressedLength < MinGzipLength)
            throw Bad(name, $"the gzip file is {compressedLength} bytes long, too short for a gzip header and trailer (truncated)");
        Span<byte> trailer = stackalloc byte[8];
        compressed.Position = compressedLength - trailer.Length;
        compressed.ReadExactly(trailer);
        uint trailerCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        uint trailerLength = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        compressed.Position = 0;
        try
        {
            using var gz = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
            var head = new byte[4 + 4 * MaxDimensions];
            int got = ReadAtMost(gz, head.AsSpan(0, 4));
            if (got == 4 && head[3] is >= 1 and <= MaxDimensions && head[0] == 0 && head[1] == 0 && head[2] == 0x08)
                got += ReadAtMost(gz, head.AsSpan(4, 4 * head[3]));
            var (dims, headerLength, count) = ParseHeader(head.AsSpan(0, got), name, long.MaxValue, exactLength: false);
            long total = headerLength + count;
            if (total > Array.MaxLength) throw Bad(name, $"the decompressed file would be {total} bytes, more than supported");
            if (total > compressedLength * MaxDeflateRatio)
                throw Bad(name, $"the dimensions ({string.Join(" x ", dims)}) declare {count} bytes of data, more than gzip can inflate from a file of {compressedLength} bytes (a gzip bomb or a damaged header)");
            // Grow the buffer only as data arrive, so a lying header cannot make us allocate gigabytes.
            var buffer = new byte[(int)Math.Min(total, 1 << 16)];
            head.AsSpan(0, headerLength).CopyTo(buffer);
            int filled = headerLength;
            while (filled < total)
            {
                if (filled == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(total, (long)buffer.Length * 2));
                int n = gz.Read(buffer, filled, buffer.Length - filled);
                if (n == 0) throw Bad(name, $"the dimensions ({string.Join(" x ", dims)}) declare {count} bytes of data but the decompressed file ends after {filled - headerLength} (truncated)");
                filled += n;
            }
            Span<byte> extra = stackalloc byte[1];
            if (gz.Read(extra) != 0) throw Bad(name, $"the dimensions ({string.Join(" x ", dims)}) declare {count} bytes of data but the decompressed file is longer");
            if ((uint)filled != trailerLength)
                throw Bad(name, $"the gzip trailer records a length of {trailerLength} bytes (mod 2^32) but {filled} were decompressed (the file is cut off, has bytes appended, or is damaged)");
            uint crc = Crc32.HashToUInt32(buffer.AsSpan(0, filled));
            if (crc != trailerCrc)
                throw Bad(name, $"the decompressed data fail the gzip trailer's CRC-32 check (0x{crc:X8}; the trailer records 0x{trailerCrc:X8}): the file is damaged");
            return new IdxFile(new ArrayStore(buffer, filled, name), dims, headerLength);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("Cannot read idx", StringComparison.Ordinal))
        {
            throw Bad(name, $"the gzip stream is corrupt ({e.Message})", e);
        }
    }

    private static int ReadAtMost(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    private static InvalidDataException Bad(string name, string problem, Exception? inner = null) => new($"Cannot read idx file '{name}': {problem}.", inner);

    /// <summary>The file's path (or name).</summary>
    public string Path => _store.Name;
    /// <summary>The dimensions.</summary>
    public IReadOnlyList<int> Dimensions => _dimensions;
    /// <summary>The magic number (0x00000800 + number of dimensions for unsigned bytes).</summary>
    public int Magic => 0x0800 | _dimensions.Length;
    /// <summary>Offset of the first element.</summary>
    public long DataOffset { get; }
    /// <summary>Number of elements (bytes).</summary>
    public long ElementCount { get; }

    /// <summary>Copies elements starting at flat index <paramref name="elementIndex"/>.</summary>
    public void Read(long elementIndex, Span<byte> destination)
    {
        if (elementIndex < 0 || elementIndex > ElementCount - destination.Length)
            throw new ArgumentOutOfRangeException(nameof(elementIndex), $"Elements [{elementIndex}, {elementIndex}+{destination.Length}) lie outside the {ElementCount} elements of '{Path}'.");
        _store.Read(DataOffset + elementIndex, destination);
    }

    /// <summary>Releases the mapping or buffer.</summary>
    public void Dispose() => _store.Dispose();
}
