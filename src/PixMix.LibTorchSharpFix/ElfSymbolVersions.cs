using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace PixMix.LibTorchSharpFix;

/// <summary>
/// Reads and edits the GNU symbol-versioning sections of a little-endian 64-bit ELF shared library: the version needs
/// (<c>.gnu.version_r</c>, <c>Elf64_Verneed</c>/<c>Elf64_Vernaux</c>) and the version definitions (<c>.gnu.version_d</c>,
/// <c>Elf64_Verdef</c>/<c>Elf64_Verdaux</c>). Only the ELF header, the section header table, the version sections and
/// the names looked up are read, never the whole file.
/// </summary>
public static class ElfSymbolVersions
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;
    private const int ElfHeaderSize = 64;
    private const int SectionHeaderSize = 64;

    /// <summary>Finds how the library at <paramref name="path"/> needs <paramref name="versionName"/>.</summary>
    /// <exception cref="InvalidDataException">The file starts as a 64-bit ELF file but its structures lie outside it.</exception>
    public static VersionNeed FindVersionNeed(string path, string versionName)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return FindVersionNeed(new Reader(file, path), versionName);
    }

    /// <summary>True when the library at <paramref name="path"/> defines <paramref name="versionName"/> (<c>.gnu.version_d</c>).</summary>
    /// <exception cref="InvalidDataException">The file is not a little-endian 64-bit ELF file, or is malformed.</exception>
    public static bool DefinesVersion(string path, string versionName)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var reader = new Reader(file, path);
        if (!IsElf64LittleEndian(reader))
            throw new InvalidDataException($"'{path}' is not a little-endian 64-bit ELF shared library.");
        var name = Encoding.ASCII.GetBytes(versionName + "\0");
        foreach (var section in Sections(reader))
        {
            if (section.Type != ShtGnuVerdef) continue;
            var strings = SectionAt(reader, section.Link);
            foreach (var entry in Chain(reader, section, 20, "a version definition", nextField: 16))
            {
                // The first Elf64_Verdaux of a definition holds the version's own name; the others name its parents.
                if (reader.U16(entry + 6) > 0 && NameEquals(reader, strings, reader.U32(entry + reader.U32(entry + 12)), name)) return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Sets <c>VER_FLG_WEAK</c> on the need of <paramref name="versionName"/> in the file at <paramref name="path"/>, in
    /// place (two bytes are written; nothing else changes). Returns the need as it was before.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is malformed.</exception>
    public static VersionNeed MarkVersionNeedWeak(string path, string versionName)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var reader = new Reader(file, path);
        var need = FindVersionNeed(reader, versionName);
        if (need.Kind == VersionNeedKind.Strong)
        {
            int flags = reader.U16(need.FlagsOffset) | VerFlagWeak;
            file.Position = need.FlagsOffset;
            file.Write([(byte)flags, (byte)(flags >> 8)], 0, 2);
            file.Flush(flushToDisk: true);
        }
        return need;
    }

    private static VersionNeed FindVersionNeed(Reader reader, string versionName)
    {
        if (!IsElf64LittleEndian(reader)) return new VersionNeed(VersionNeedKind.NotApplicable, -1);
        var name = Encoding.ASCII.GetBytes(versionName + "\0");
        foreach (var section in Sections(reader))
        {
            if (section.Type != ShtGnuVerneed) continue;
            var strings = SectionAt(reader, section.Link);
            foreach (var entry in Chain(reader, section, 16, "a version need", nextField: 12))
            {
                ushort auxCount = reader.U16(entry + 2);
                long aux = entry + reader.U32(entry + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    reader.Require(aux, 16, "a version need entry");
                    if (NameEquals(reader, strings, reader.U32(aux + 8), name))
                    {
                        bool weak = (reader.U16(aux + 4) & VerFlagWeak) != 0;
                        return new VersionNeed(weak ? VersionNeedKind.Weak : VersionNeedKind.Strong, aux + 4);
                    }
                    uint nextAux = reader.U32(aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
            }
        }
        return new VersionNeed(VersionNeedKind.NotNeeded, -1);
    }

    /// <summary>
    /// The offsets of the entries of a version section: <c>sh_info</c> entries at most, each <paramref name="entrySize"/>
    /// bytes or more, linked by the byte distance in the 32-bit field at <paramref name="nextField"/> (0 ends the chain).
    /// </summary>
    private static IEnumerable<long> Chain(Reader reader, Section section, int entrySize, string what, int nextField)
    {
        long entry = section.Offset;
        for (uint i = 0; i < section.Info; i++)
        {
            reader.Require(entry, entrySize, what);
            yield return entry;
            uint next = reader.U32(entry + nextField);
            if (next == 0) yield break;
            entry += next;
        }
    }

    private static bool IsElf64LittleEndian(Reader reader)
    {
        if (reader.Length < ElfHeaderSize) return false;
        var ident = new byte[6];
        reader.Read(0, ident);
        // EI_MAG0..3 = "\x7fELF", EI_CLASS = ELFCLASS64, EI_DATA = ELFDATA2LSB.
        return ident[0] == 0x7F && ident[1] == (byte)'E' && ident[2] == (byte)'L' && ident[3] == (byte)'F' && ident[4] == 2 && ident[5] == 1;
    }

    private readonly struct Section(uint type, long offset, long size, uint link, uint info)
    {
        public uint Type { get; } = type;
        public long Offset { get; } = offset;
        public long Size { get; } = size;
        public uint Link { get; } = link;
        public uint Info { get; } = info;
    }

    private static IEnumerable<Section> Sections(Reader reader)
    {
        long tableOffset = reader.Offset(0x28);
        ushort entrySize = reader.U16(0x3A);
        long count = reader.U16(0x3C);
        if (tableOffset == 0) yield break;
        if (entrySize < SectionHeaderSize)
            throw new InvalidDataException($"'{reader.Path}' is not a valid ELF file: section header size {entrySize} is below {SectionHeaderSize}.");
        // With 0xff00 sections or more, e_shnum is 0 and the count is the sh_size of section 0.
        if (count == 0) count = reader.Offset(tableOffset + 32);
        if (count > reader.Length / entrySize)
            throw new InvalidDataException($"'{reader.Path}' is not a valid ELF file: it claims {count} sections, more than fit in its {reader.Length} bytes.");
        reader.Require(tableOffset, count * entrySize, "the section header table");
        for (long i = 0; i < count; i++)
            yield return ReadSection(reader, tableOffset + i * entrySize);
    }

    private static Section SectionAt(Reader reader, uint index)
    {
        long tableOffset = reader.Offset(0x28);
        ushort entrySize = reader.U16(0x3A);
        long header = tableOffset + (long)index * entrySize;
        reader.Require(header, SectionHeaderSize, $"section header {index}");
        return ReadSection(reader, header);
    }

    private static Section ReadSection(Reader reader, long header)
    {
        var section = new Section(
            type: reader.U32(header + 4),
            offset: reader.Offset(header + 24),
            size: reader.Offset(header + 32),
            link: reader.U32(header + 40),
            info: reader.U32(header + 44));
        if (section.Type is ShtGnuVerdef or ShtGnuVerneed)
            reader.Require(section.Offset, section.Size, "a symbol-version section");
        return section;
    }

    private static bool NameEquals(Reader reader, Section strings, uint nameOffset, byte[] nameWithTerminator)
    {
        if (nameOffset >= strings.Size) return false;
        long available = Math.Min(nameWithTerminator.Length, strings.Size - nameOffset);
        var read = new byte[available];
        reader.Require(strings.Offset + nameOffset, available, "a string table");
        reader.Read(strings.Offset + nameOffset, read);
        if (read.Length != nameWithTerminator.Length) return false;
        for (int i = 0; i < read.Length; i++)
            if (read[i] != nameWithTerminator[i]) return false;
        return true;
    }

    /// <summary>Bounds-checked little-endian reads at file offsets.</summary>
    private sealed class Reader(FileStream file, string path)
    {
        private readonly byte[] _field = new byte[8];

        public string Path { get; } = path;
        public long Length { get; } = file.Length;

        public void Require(long offset, long count, string what)
        {
            if (offset < 0 || count < 0 || offset > Length || count > Length - offset)
                throw new InvalidDataException(
                    $"'{Path}' is not a valid ELF file: {what} at offset {offset} ({count} bytes) lies outside the file ({Length} bytes); the file may be truncated.");
        }

        public void Read(long offset, byte[] destination) => Read(offset, destination, destination.Length);

        public ushort U16(long offset)
        {
            Read(offset, _field, 2);
            return (ushort)(_field[0] | _field[1] << 8);
        }

        public uint U32(long offset)
        {
            Read(offset, _field, 4);
            return (uint)(_field[0] | _field[1] << 8 | _field[2] << 16 | _field[3] << 24);
        }

        /// <summary>A 64-bit file offset or size field, which must fit in the file's range.</summary>
        public long Offset(long offset)
        {
            Read(offset, _field, 8);
            ulong value = 0;
            for (int i = 7; i >= 0; i--) value = value << 8 | _field[i];
            if (value > (ulong)Length)
                throw new InvalidDataException($"'{Path}' is not a valid ELF file: the value {value} at offset {offset} exceeds the file's {Length} bytes; the file may be truncated.");
            return (long)value;
        }

        private void Read(long offset, byte[] destination, int count)
        {
            Require(offset, count, "a field");
            file.Position = offset;
            int done = 0;
            while (done < count)
            {
                int n = file.Read(destination, done, count - done);
                if (n <= 0) throw new InvalidDataException($"'{Path}' ended while reading offset {offset + done}.");
                done += n;
            }
        }
    }
}
