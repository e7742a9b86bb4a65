using System.Buffers.Binary;
using System.Text;

namespace PixMix.MLNet.Tests.Training;

/// <summary>
/// Writes minimal little-endian 64-bit ELF shared-object images with a <c>.dynstr</c> and, as asked, a
/// <c>.gnu.version_r</c> (version needs) and a <c>.gnu.version_d</c> (version definitions) section, laid out by hand
/// from the ELF specification, so that the version logic can be checked on files with known content.
/// </summary>
internal static class TestElfFile
{
    public const ushort Weak = 0x2;

    /// <summary>One needed library and the versions it needs, each with its <c>vna_flags</c>.</summary>
    public sealed record Need(string File, params (string Name, ushort Flags)[] Versions);

    /// <summary>The image; <paramref name="flagOffsets"/> gets the file offset of each version need's <c>vna_flags</c>, by name.</summary>
    public static byte[] Build(IReadOnlyList<Need> needs, IReadOnlyList<string> definitions, out Dictionary<string, long> flagOffsets)
    {
        // .dynstr: "\0" then every name once.
        var strings = new MemoryStream();
        strings.WriteByte(0);
        var stringOffsets = new Dictionary<string, uint>(StringComparer.Ordinal);
        uint Str(string s)
        {
            if (stringOffsets.TryGetValue(s, out var o)) return o;
            o = (uint)strings.Length;
            var bytes = Encoding.ASCII.GetBytes(s);
            strings.Write(bytes);
            strings.WriteByte(0);
            stringOffsets[s] = o;
            return o;
        }
        foreach (var need in needs) { Str(need.File); foreach (var v in need.Versions) Str(v.Name); }
        foreach (var d in definitions) Str(d);
        var dynstr = strings.ToArray();

        const int header = 64;
        long dynstrOffset = header;
        long verneedOffset = Align(dynstrOffset + dynstr.Length);
        var verneed = new List<byte>();
        var localFlagOffsets = new Dictionary<string, long>(StringComparer.Ordinal);
        ushort other = 2;
        for (int i = 0; i < needs.Count; i++)
        {
            var need = needs[i];
            int size = 16 + 16 * need.Versions.Length;
            verneed.AddRange(U16(1));                               // vn_version
            verneed.AddRange(U16((ushort)need.Versions.Length));    // vn_cnt
            verneed.AddRange(U32(Str(need.File)));                  // vn_file
            verneed.AddRange(U32(16));                              // vn_aux
            verneed.AddRange(U32(i == needs.Count - 1 ? 0u : (uint)size)); // vn_next
            for (int a = 0; a < need.Versions.Length; a++)
            {
                var (name, flags) = need.Versions[a];
                verneed.AddRange(U32(0x0b792650));                  // vna_hash (not checked)
                localFlagOffsets[name] = verneedOffset + verneed.Count;
                verneed.AddRange(U16(flags));                       // vna_flags
                verneed.AddRange(U16(other++));                     // vna_other
                verneed.AddRange(U32(Str(name)));                   // vna_name
                verneed.AddRange(U32(a == need.Versions.Length - 1 ? 0u : 16u)); // vna_next
            }
        }
        long verdefOffset = Align(verneedOffset + verneed.Count);
        var verdef = new List<byte>();
        for (int j = 0; j < definitions.Count; j++)
        {
            verdef.AddRange(U16(1));                                // vd_version
            verdef.AddRange(U16(j == 0 ? (ushort)1 : (ushort)0));   // vd_flags (VER_FLG_BASE for the first)
            verdef.AddRange(U16((ushort)(j + 1)));                  // vd_ndx
            verdef.AddRange(U16(1));                                // vd_cnt
            verdef.AddRange(U32(0));                                // vd_hash
            verdef.AddRange(U32(20));                               // vd_aux
            verdef.AddRange(U32(j == definitions.Count - 1 ? 0u : 28u)); // vd_next
            verdef.AddRange(U32(Str(definitions[j])));              // vda_name
            verdef.AddRange(U32(0));                                // vda_next
        }
        long sectionTable = Align(verdefOffset + verdef.Count);
        var sections = new List<(uint Type, long Offset, long Size, uint Link, uint Info)> { (0, 0, 0, 0, 0), (3, dynstrOffset, dynstr.Length, 0, 0) };
        if (needs.Count > 0) sections.Add((0x6ffffffe, verneedOffset, verneed.Count, 1, (uint)needs.Count));
        if (definitions.Count > 0) sections.Add((0x6ffffffd, verdefOffset, verdef.Count, 1, (uint)definitions.Count));

        var image = new byte[sectionTable + sections.Count * 64];
        image[0] = 0x7F; image[1] = (byte)'E'; image[2] = (byte)'L'; image[3] = (byte)'F';
        image[4] = 2; image[5] = 1; image[6] = 1;                   // ELFCLASS64, ELFDATA2LSB, EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(16), 3);   // ET_DYN
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(18), 62);  // EM_X86_64
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(0x28), (ulong)sectionTable);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x34), header);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x3A), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x3C), (ushort)sections.Count);
        dynstr.CopyTo(image, dynstrOffset);
        verneed.ToArray().CopyTo(image, verneedOffset);
        verdef.ToArray().CopyTo(image, verdefOffset);
        for (int s = 0; s < sections.Count; s++)
        {
            var h = image.AsSpan((int)(sectionTable + s * 64), 64);
            BinaryPrimitives.WriteUInt32LittleEndian(h[4..], sections[s].Type);
            BinaryPrimitives.WriteUInt64LittleEndian(h[24..], (ulong)sections[s].Offset);
            BinaryPrimitives.WriteUInt64LittleEndian(h[32..], (ulong)sections[s].Size);
            BinaryPrimitives.WriteUInt32LittleEndian(h[40..], sections[s].Link);
            BinaryPrimitives.WriteUInt32LittleEndian(h[44..], sections[s].Info);
        }
        flagOffsets = localFlagOffsets;
        return image;
    }

    /// <summary>A library like libLibTorchSharp.so: needs GLIBCXX_3.4.32 from libstdc++.so.6 with the given flags, among other versions.</summary>
    public static byte[] LibTorchSharpLike(ushort glibcxx3432Flags, out long flagsOffset)
    {
        var image = Build(
        [
            new Need("libc.so.6", ("GLIBC_2.2.5", 0), ("GLIBC_2.14", 0)),
            new Need("libstdc++.so.6", ("GLIBCXX_3.4.19", 0), ("GLIBCXX_3.4.32", glibcxx3432Flags), ("CXXABI_1.3", 0)),
        ], [], out var offsets);
        flagsOffset = offsets["GLIBCXX_3.4.32"];
        return image;
    }

    /// <summary>A libstdc++-like library defining the given versions (the first is the file's base version).</summary>
    public static byte[] Defining(params string[] versions) => Build([], ["libstdc++.so.6", .. versions], out _);

    private static long Align(long offset) => (offset + 7) & ~7L;

    private static byte[] U16(ushort v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, v); return b; }

    private static byte[] U32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); return b; }
}
