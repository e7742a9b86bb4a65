using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace PixMix.MLNet.Persistence;

/// <summary>
/// The whole-file seal of the zips this library writes: the archive's comment is <c>pixmix-sha256:</c> followed by the
/// SHA-256 of every byte before its 64 hexadecimal digits. It covers what the entries' CRC-32 and SHA-256 do not (local
/// headers, the central directory, the end record), so a change to any byte of the file is noticed. Like the entry
/// digests it gives integrity, not authenticity: anyone can recompute it.
/// </summary>
internal static class ZipSeal
{
    private const string Prefix = "pixmix-sha256:";
    private const int DigestLength = 64;

    /// <summary>The comment's length in bytes.</summary>
    public const int CommentLength = 14 + DigestLength;

    /// <summary>
    /// Writes a sealed zip atomically (<see cref="AtomicFile"/>): <paramref name="write"/> fills the archive, then the
    /// seal is computed over the finished file before it is renamed into place.
    /// </summary>
    public static void Write(string path, Action<ZipArchive> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var temporary = AtomicFile.CreateTemporary(path);
        using (var archive = new ZipArchive(temporary.Stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            archive.Comment = Prefix + new string('0', DigestLength);
            write(archive);
        }
        Apply(temporary.Stream);
        temporary.Commit();
    }

    /// <summary>Replaces the placeholder digest at the end of a finished archive by the SHA-256 of the bytes before it.</summary>
    internal static void Apply(Stream stream)
    {
        long digestAt = stream.Length - DigestLength;
        Span<byte> tail = stackalloc byte[2 + CommentLength];
        stream.Position = stream.Length - tail.Length;
        stream.ReadExactly(tail);
        if (BinaryPrimitives.ReadUInt16LittleEndian(tail) != CommentLength || !tail[2..(2 + Prefix.Length)].SequenceEqual(System.Text.Encoding.ASCII.GetBytes(Prefix)))
            throw new InvalidOperationException("The zip archive does not end with the seal's placeholder comment.");
        var digest = Convert.ToHexStringLower(HashPrefix(stream, digestAt));
        stream.Position = digestAt;
        stream.Write(System.Text.Encoding.ASCII.GetBytes(digest));
    }

    /// <summary>
    /// Checks the seal of a file whose end record starts <c>22 + </c><see cref="CommentLength"/> bytes before its end;
    /// null when it holds, else what is wrong.
    /// </summary>
    public static string? Check(Stream stream, ReadOnlySpan<byte> comment)
    {
        if (comment.Length != CommentLength || !comment[..Prefix.Length].SequenceEqual(System.Text.Encoding.ASCII.GetBytes(Prefix)))
            return "its zip comment is not this library's whole-file seal";
        var recorded = comment[Prefix.Length..];
        var actual = Convert.ToHexStringLower(HashPrefix(stream, stream.Length - DigestLength));
        return recorded.SequenceEqual(System.Text.Encoding.ASCII.GetBytes(actual))
            ? null
            : "it fails its whole-file SHA-256 check (a byte of a zip header, the zip directory or the seal was changed)";
    }

    private static byte[] HashPrefix(Stream stream, long length)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            stream.Position = 0;
            for (long left = length; left > 0;)
            {
                int n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (n == 0) throw new EndOfStreamException();
                sha.AppendData(buffer, 0, n);
                left -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return sha.GetHashAndReset();
    }
}
