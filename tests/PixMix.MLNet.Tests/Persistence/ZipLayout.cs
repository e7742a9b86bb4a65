using System.Buffers.Binary;
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
}
