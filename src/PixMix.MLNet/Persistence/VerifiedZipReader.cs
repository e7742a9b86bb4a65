using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace PixMix.MLNet.Persistence;

/// <summary>
/// Reads a zip written through <see cref="DigestingZipWriter"/> and hands out only entries whose content passed every
/// check: the file ends with the zip end record and its <see cref="ZipSeal"/> (no trailing bytes) right after the
/// central directory, the seal holds, no
/// entry name repeats; every entry but the index is listed in the index's digests and every digest names an entry; an
/// entry's declared length equals its digest's size and inflates at most <see cref="MaxCompressionRatio"/> times its
/// compressed length (above <see cref="RatioFreeSize"/>); it is read streaming, refused as soon as it inflates beyond
/// its declared size, and its CRC-32 (against the central directory) and SHA-256 (against the digest) must match.
/// Problems are <see cref="InvalidDataException"/>s naming the file and the entry.
/// </summary>
internal sealed class VerifiedZipReader : IDisposable
{
    /// <summary>Entries up to this length may compress arbitrarily well.</summary>
    public const long RatioFreeSize = 16L << 20;
    /// <summary>The largest uncompressed / compressed length ratio of a larger entry (a zip bomb inflates far beyond).</summary>
    public const int MaxCompressionRatio = 200;

    private const uint EndRecordSignature = 0x06054b50;
    private const uint Zip64EndRecordSignature = 0x06064b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint LocalHeaderSignature = 0x04034b50;

    private readonly Stream _stream;
    private readonly ZipArchive _archive;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, ZipEntryDigest>? _digests;
    private string _indexName = "";
    private string? _sealFailure;
    private bool _unsealed;

    private VerifiedZipReader(Stream stream, string path, string kind)
    {
        _stream = stream;
        Path = path;
        Kind = kind;
        long directoryEntries = CheckLayout();
        try
        {
            _archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            foreach (var entry in _archive.Entries)
                if (!_entries.TryAdd(entry.FullName, entry)) throw Damaged($"the entry '{entry.FullName}' appears twice");
        }
        catch (InvalidDataException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{kind} '{path}' is damaged: its zip directory cannot be read ({e.Message}).", e);
        }
        if (_entries.Count != directoryEntries)
            throw Damaged($"its zip end record counts {directoryEntries} entries but the directory holds {_entries.Count}");
        // A broken seal refuses the file now; name the damaged entry when an entry's content is what changed.
        if (_sealFailure is not null) throw Damaged(FindDamagedEntry() ?? _sealFailure);
    }

    /// <summary>The first entry whose content fails its CRC-32 or cannot be inflated (read streaming, capped), or null.</summary>
    private string? FindDamagedEntry()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            foreach (var entry in _entries.Values)
            {
                if (entry.Length > RatioFreeSize && entry.Length / MaxCompressionRatio > entry.CompressedLength)
                    return $"entry '{entry.FullName}' would inflate {entry.CompressedLength} compressed bytes to {entry.Length} (more than {MaxCompressionRatio} times: a zip bomb)";
                var crc = new Crc32();
                long total = 0;
                try
                {
                    using var stream = entry.Open();
                    for (int n; (n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, entry.Length - total + 1))) > 0;)
                    {
                        total += n;
                        if (total > entry.Length) return $"entry '{entry.FullName}' inflates beyond the {entry.Length} bytes it declares";
                        crc.Append(buffer.AsSpan(0, n));
                    }
                }
                catch (InvalidDataException e)
                {
                    return $"entry '{entry.FullName}' cannot be decompressed ({e.Message})";
                }
                if (total != entry.Length || crc.GetCurrentHashAsUInt32() != entry.Crc32)
                    return $"entry '{entry.FullName}' fails its CRC-32 check";
            }
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The file read, for messages.</summary>
    public string Path { get; }

    /// <summary>What the file is, for messages ("Model file", "Training checkpoint").</summary>
    public string Kind { get; }

    /// <summary>The entry names in the archive.</summary>
    public IEnumerable<string> EntryNames => _entries.Keys;

    /// <summary>Opens <paramref name="fullPath"/> (which must exist); <paramref name="kind"/> names what it is in messages.</summary>
    public static VerifiedZipReader Open(string fullPath, string kind)
    {
        var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try { return new VerifiedZipReader(stream, fullPath, kind); }
        catch { stream.Dispose(); throw; }
    }

    /// <summary>Reads a zip from <paramref name="stream"/> (seekable; disposed with the reader); <paramref name="path"/> names it in messages.</summary>
    internal static VerifiedZipReader Open(Stream stream, string path, string kind)
    {
        try { return new VerifiedZipReader(stream, path, kind); }
        catch { stream.Dispose(); throw; }
    }

    /// <summary>Whether the archive holds <paramref name="name"/>.</summary>
    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>
    /// Reads the index entry <paramref name="name"/> (at most <paramref name="maxSize"/> bytes, its CRC-32 checked), or
    /// returns null when the archive has no such entry.
    /// </summary>
    public MemoryStream? ReadIndex(string name, long maxSize)
    {
        if (!_entries.TryGetValue(name, out var entry)) return null;
        if (_unsealed)
            throw new InvalidDataException($"{Kind} '{Path}' carries no whole-file seal: it was written by an earlier version of PixMix.MLNet, or its seal was cut away. Re-save it with this version.");
        if (entry.Length > maxSize) throw Damaged($"entry '{name}' declares {entry.Length} bytes; at most {maxSize} are expected");
        return ReadChecked(entry, entry.Length, expectedSha256: null);
    }

    /// <summary>
    /// Takes the digests of every entry but the index <paramref name="indexName"/> and checks them against the archive:
    /// each entry listed, each digest's entry present with the length it declares and a believable compression ratio.
    /// </summary>
    public void UseDigests(IReadOnlyDictionary<string, ZipEntryDigest> digests, string indexName)
    {
        ArgumentNullException.ThrowIfNull(digests);
        if (_unsealed) throw new InvalidOperationException("An unsealed zip's index is never read.");
        foreach (var name in _entries.Keys)
            if (name != indexName && !digests.ContainsKey(name))
                throw Damaged($"entry '{name}' is not listed in '{indexName}' (an unknown entry was added)");
        foreach (var (name, digest) in digests)
        {
            if (digest is null || name == indexName) throw Damaged($"'{indexName}' lists '{name}' without a size and SHA-256");
            if (!_entries.TryGetValue(name, out var entry)) throw Damaged($"entry '{name}', listed in '{indexName}', is missing");
            if (digest.Size < 0 || digest.Sha256.Length != 64 || !digest.Sha256.All(char.IsAsciiHexDigitLower))
                throw Damaged($"'{indexName}' records an invalid size or SHA-256 for entry '{name}'");
            if (entry.Length != digest.Size)
                throw Damaged($"entry '{name}' is {entry.Length} bytes long in the zip directory but {digest.Size} in '{indexName}'");
            if (digest.Size > Array.MaxLength)
                throw Damaged($"entry '{name}' declares {digest.Size} bytes, more than can be read into memory");
            if (digest.Size > RatioFreeSize && digest.Size / MaxCompressionRatio > entry.CompressedLength)
                throw Damaged($"entry '{name}' would inflate {entry.CompressedLength} compressed bytes to {digest.Size} (more than {MaxCompressionRatio} times: a zip bomb)");
        }
        _digests = digests;
        _indexName = indexName;
    }

    /// <summary>Reads the digested entry <paramref name="name"/> into memory, after it passed its checks.</summary>
    public MemoryStream Read(string name)
    {
        var digests = _digests ?? throw new InvalidOperationException("UseDigests first.");
        if (!digests.TryGetValue(name, out var digest))
            throw new InvalidDataException($"{Kind} '{Path}' is missing the entry '{name}' (it is not listed in '{_indexName}').");
        _read.Add(name);
        return ReadChecked(_entries[name], digest.Size, digest.Sha256);
    }

    /// <summary>Refuses the file when a digested entry was never read (an entry no part of the file refers to).</summary>
    public void CheckAllRead()
    {
        foreach (var name in _digests?.Keys ?? [])
            if (!_read.Contains(name)) throw Damaged($"entry '{name}' belongs to no part of the file");
    }

    private MemoryStream ReadChecked(ZipArchiveEntry entry, long size, string? expectedSha256)
    {
        var memory = new MemoryStream((int)Math.Min(size, 1 << 20));
        var crc = new Crc32();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        long total = 0;
        try
        {
            using var stream = entry.Open();
            while (true)
            {
                // One byte more than remains, so an entry that inflates beyond its size is noticed at once.
                int want = (int)Math.Min(buffer.Length, size - total + 1);
                int n = stream.Read(buffer, 0, want);
                if (n == 0) break;
                total += n;
                if (total > size) throw Damaged($"entry '{entry.FullName}' inflates beyond the {size} bytes it declares");
                crc.Append(buffer.AsSpan(0, n));
                sha.AppendData(buffer, 0, n);
                memory.Write(buffer, 0, n);
            }
        }
        catch (InvalidDataException e) when (!e.Message.Contains(Path, StringComparison.Ordinal))
        {
            throw Damaged($"entry '{entry.FullName}' cannot be decompressed ({e.Message})", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (total != size) throw Damaged($"entry '{entry.FullName}' holds {total} bytes; {size} are declared");
        if (crc.GetCurrentHashAsUInt32() != entry.Crc32)
            throw Damaged($"entry '{entry.FullName}' fails its CRC-32 check (0x{crc.GetCurrentHashAsUInt32():X8}; the zip directory records 0x{entry.Crc32:X8})");
        if (expectedSha256 is not null && Convert.ToHexStringLower(sha.GetHashAndReset()) != expectedSha256)
            throw Damaged($"entry '{entry.FullName}' fails its SHA-256 check against '{_indexName}'");
        memory.Position = 0;
        return memory;
    }

    /// <summary>
    /// Checks that the file ends with the zip end record and its seal right after the central directory (no trailing
    /// bytes), that the seal holds, and that it starts with a local header; returns the entry count the end record declares.
    /// </summary>
    private long CheckLayout()
    {
        long length = _stream.Length;
        Span<byte> end = stackalloc byte[22 + ZipSeal.CommentLength];
        Span<byte> bare = end[..22];
        if (length >= bare.Length)
            ReadAt(length - bare.Length, bare);
        if (length >= bare.Length && BinaryPrimitives.ReadUInt32LittleEndian(bare) == EndRecordSignature && BinaryPrimitives.ReadUInt16LittleEndian(bare[20..]) == 0)
        {
            // A zip without a comment: another program's zip (told apart by its entries), or a file of this library
            // written before whole-file seals or with its seal cut away (refused when its index entry is read).
            _unsealed = true;
            end = bare;
        }
        else
        {
            if (length < end.Length) throw NotZip($"it is {length} bytes long, shorter than a zip end record with its seal");
            ReadAt(length - end.Length, end);
            if (BinaryPrimitives.ReadUInt32LittleEndian(end) != EndRecordSignature || BinaryPrimitives.ReadUInt16LittleEndian(end[20..]) != ZipSeal.CommentLength)
                throw NotZip("it does not end with a zip end record and its seal (it is cut off, has bytes appended, or is not a zip)");
            _sealFailure = ZipSeal.Check(_stream, end[22..]);
        }
        long entries = BinaryPrimitives.ReadUInt16LittleEndian(end[10..]);
        long directorySize = BinaryPrimitives.ReadUInt32LittleEndian(end[12..]);
        long directoryOffset = BinaryPrimitives.ReadUInt32LittleEndian(end[16..]);
        long directoryEnd = length - end.Length;
        if (entries == 0xFFFF || directorySize == 0xFFFFFFFF || directoryOffset == 0xFFFFFFFF)
        {
            Span<byte> locator = stackalloc byte[20];
            Span<byte> record = stackalloc byte[56];
            long locatorOffset = directoryEnd - locator.Length;
            if (locatorOffset < 0) throw Damaged("its zip64 end record is missing");
            ReadAt(locatorOffset, locator);
            if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature) throw Damaged("its zip64 end record locator is missing");
            long recordOffset = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(locator[8..]), long.MaxValue);
            if (recordOffset != locatorOffset - record.Length) throw Damaged("its zip64 end record is not where its locator says");
            ReadAt(recordOffset, record);
            if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndRecordSignature) throw Damaged("its zip64 end record is damaged");
            entries = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(record[32..]), long.MaxValue);
            directorySize = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(record[40..]), long.MaxValue);
            directoryOffset = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(record[48..]), long.MaxValue);
            directoryEnd = recordOffset;
        }
        if (directoryOffset > directoryEnd || directoryEnd - directoryOffset != directorySize)
            throw Damaged($"its zip directory ({directorySize} bytes at offset {directoryOffset}) does not end where the end record begins (offset {directoryEnd})");
        if (entries > 0)
        {
            Span<byte> first = stackalloc byte[4];
            ReadAt(0, first);
            if (BinaryPrimitives.ReadUInt32LittleEndian(first) != LocalHeaderSignature)
                throw Damaged("it does not start with a zip entry (bytes were prepended or the start is damaged)");
        }
        return entries;
    }

    private void ReadAt(long offset, Span<byte> destination)
    {
        _stream.Position = offset;
        _stream.ReadExactly(destination);
    }

    private InvalidDataException NotZip(string why)
    {
        string kind = Kind.ToLowerInvariant();
        string article = "aeiou".Contains(kind[0], StringComparison.Ordinal) ? "an" : "a";
        return new($"'{Path}' is not {article} {kind}: it is not a zip archive ({why}).");
    }

    /// <summary>An error naming the file: "{Kind} '{Path}' is damaged: {what}."</summary>
    public InvalidDataException Damaged(string what, Exception? inner = null) => new($"{Kind} '{Path}' is damaged: {what}.", inner);

    /// <inheritdoc />
    public void Dispose()
    {
        _archive.Dispose();
        _stream.Dispose();
    }
}
