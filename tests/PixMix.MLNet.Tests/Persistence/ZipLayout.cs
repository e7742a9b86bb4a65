using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace PixMix.MLNet.Tests.Persistence;

/// <summary>Where each entry's local header and data lie in a zip's bytes, found by walking the local headers.</summary>
internal static class ZipLayout
{
    internal sealed record Entry(string Name, int HeaderOffset, int DataOffset, int CompressedLength);

    internal static List<Entry> Entries(byte[] zip)
    {
        var entries = new List<Entry>();
        int offset = 0;
        while (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(offset)) == 0x04034b50)
        {
            int compressed = BinaryPrimitives.ReadInt32LittleEndian(zip.AsSpan(offset + 18));
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(offset + 26));
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(offset + 28));
            string name = Encoding.UTF8.GetString(zip, offset + 30, nameLength);
            int data = offset + 30 + nameLength + extraLength;
            entries.Add(new Entry(name, offset, data, compressed));
            offset = data + compressed;
        }
        return entries;
    }

    /// <summary>Sets the uncompressed length the central directory records for <paramref name="name"/>.</summary>
    internal static void SetDirectoryLength(byte[] zip, string name, uint length)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        for (int i = 0; i + 46 <= zip.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) != 0x02014b50) continue;
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 28));
            if (!zip.AsSpan(i + 46, nameLength).SequenceEqual(nameBytes)) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 24), length);
            return;
        }
        throw new InvalidOperationException($"No directory record for '{name}'.");
    }

    private const string SealPrefix = "pixmix-sha256:";

    /// <summary>
    /// Seals a zip edited by a test as the library seals the files it writes (the archive comment is "pixmix-sha256:"
    /// and the SHA-256 of every byte before its 64 digits), so the test reaches the check it is about.
    /// </summary>
    internal static void Reseal(string path)
    {
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            zip.Comment = SealPrefix + new string('0', 64);
        File.WriteAllBytes(path, Resealed(File.ReadAllBytes(path)));
    }

    /// <summary>A copy of a sealed zip's bytes with its seal recomputed.</summary>
    internal static byte[] Resealed(byte[] zip)
    {
        var copy = (byte[])zip.Clone();
        if (Encoding.ASCII.GetString(copy, copy.Length - 64 - SealPrefix.Length, SealPrefix.Length) != SealPrefix)
            throw new InvalidOperationException("the zip has no seal comment to recompute");
        var digest = Convert.ToHexStringLower(SHA256.HashData(copy.AsSpan(0, copy.Length - 64)));
        Encoding.ASCII.GetBytes(digest).CopyTo(copy, copy.Length - 64);
        return copy;
    }
}
