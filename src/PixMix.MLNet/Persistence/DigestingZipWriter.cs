using System.IO.Compression;
using System.Security.Cryptography;

namespace PixMix.MLNet.Persistence;

/// <summary>
/// Creates entries in a zip being written and records the size and SHA-256 of each as it is written, for the file's
/// index entry (a model manifest, a checkpoint's state), which is written last and not digested itself. Entries are
/// stored uncompressed, so every byte of an entry's data is covered by its CRC-32 and SHA-256 (deflate's unused padding
/// bits are not: a flip there would leave the content, and so the check, unchanged).
/// </summary>
internal sealed class DigestingZipWriter(ZipArchive archive)
{
    private readonly SortedDictionary<string, ZipEntryDigest> _digests = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>The digests of the entries written so far, by entry name.</summary>
    public Dictionary<string, ZipEntryDigest> Digests => new(_digests, StringComparer.Ordinal);

    /// <summary>Creates the digested entry <paramref name="name"/>; its digest is recorded when the stream is disposed.</summary>
    public Stream Create(string name)
    {
        var inner = CreateEntry(name);
        return new DigestingStream(inner, digest => _digests.Add(name, digest));
    }

    /// <summary>Creates the index entry (not digested: it holds the digests; its CRC-32 still guards it).</summary>
    public Stream CreateIndex(string name) => CreateEntry(name);

    private Stream CreateEntry(string name)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"The zip entry '{name}' is written twice.");
        return archive.CreateEntry(name, CompressionLevel.NoCompression).Open();
    }

    /// <summary>A write-only stream that hashes and counts what passes through it.</summary>
    private sealed class DigestingStream(Stream inner, Action<ZipEntryDigest> done) : Stream
    {
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _length;
        private bool _disposed;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            inner.Write(buffer);
            _sha.AppendData(buffer);
            _length += buffer.Length;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _disposed = true;
                inner.Dispose();
                done(new ZipEntryDigest { Size = _length, Sha256 = Convert.ToHexStringLower(_sha.GetHashAndReset()) });
                _sha.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
