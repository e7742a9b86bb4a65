using System.Diagnostics;
using System.Security.Cryptography;
using PixMix.MLNet.Training;
using PixMix.MLNet.Native;
using PixMix.LibTorchSharpFix;
using PixMix.TestSupport;

namespace PixMix.MLNet.Tests.Training;

public class ElfSymbolVersionsTests
{
    private const string Version = "GLIBCXX_3.4.32";

    [LibTorchSharpFileFact]
    public void RealLibTorchSharpNeedsTheVersionStronglyAndACopyBecomesWeakInOneByte()
    {
        using var folder = new TempFolder();
        var original = LibTorchSharpFileFactAttribute.PackagedLibrary;
        var originalHash = SHA256.HashData(File.ReadAllBytes(original));
        var copy = folder.File("libLibTorchSharp.so");
        File.Copy(original, copy);

        var before = ElfSymbolVersions.FindVersionNeed(copy, Version);
        Assert.Equal(VersionNeedKind.Strong, before.Kind);
        var beforeBytes = File.ReadAllBytes(copy);

        var returned = ElfSymbolVersions.MarkVersionNeedWeak(copy, Version);
        Assert.Equal(before, returned);
        var after = File.ReadAllBytes(copy);
        Assert.Equal(new VersionNeed(VersionNeedKind.Weak, before.FlagsOffset), ElfSymbolVersions.FindVersionNeed(copy, Version));

        // Exactly one byte differs: the low byte of vna_flags gains VER_FLG_WEAK (2).
        Assert.Equal(beforeBytes.Length, after.Length);
        var differing = Enumerable.Range(0, after.Length).Where(i => after[i] != beforeBytes[i]).ToList();
        Assert.Equal([(int)before.FlagsOffset], differing);
        Assert.Equal(beforeBytes[before.FlagsOffset] | 2, after[before.FlagsOffset]);
        // Other needs of the same library are unchanged.
        Assert.Equal(VersionNeedKind.Strong, ElfSymbolVersions.FindVersionNeed(copy, "GLIBCXX_3.4.19").Kind);
        Assert.Equal(originalHash, SHA256.HashData(File.ReadAllBytes(original)));

        // binutils, where installed, reads the same: readelf -V prints the flag.
        if (File.Exists("/usr/bin/readelf"))
        {
            var readelf = Process.Start(new ProcessStartInfo("/usr/bin/readelf", ["-V", copy]) { RedirectStandardOutput = true })!;
            var text = readelf.StandardOutput.ReadToEnd();
            readelf.WaitForExit();
            Assert.Contains("Name: GLIBCXX_3.4.32  Flags: WEAK", text);
            Assert.Contains("Name: GLIBCXX_3.4.19  Flags: none", text);
        }
    }

    [LibTorchSharpFileFact]
    public void MarkingTwiceChangesNothingTheSecondTime()
    {
        using var folder = new TempFolder();
        var copy = folder.File("libLibTorchSharp.so");
        File.Copy(LibTorchSharpFileFactAttribute.PackagedLibrary, copy);
        Assert.Equal(VersionNeedKind.Strong, ElfSymbolVersions.MarkVersionNeedWeak(copy, Version).Kind);
        var once = File.ReadAllBytes(copy);
        Assert.Equal(VersionNeedKind.Weak, ElfSymbolVersions.MarkVersionNeedWeak(copy, Version).Kind);
        Assert.Equal(once, File.ReadAllBytes(copy));
    }

    [LibTorchSharpFileFact]
    public void TruncatedRealLibraryGivesAClearError()
    {
        using var folder = new TempFolder();
        var bytes = File.ReadAllBytes(LibTorchSharpFileFactAttribute.PackagedLibrary);
        var truncated = folder.Write("libLibTorchSharp.so", bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.FindVersionNeed(truncated, Version));
        Assert.Contains(truncated, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void FindsTheNeedAmongOthersAndReadsItsFlags()
    {
        using var folder = new TempFolder();
        var strong = folder.Write("strong.so", TestElfFile.LibTorchSharpLike(0, out var offset));
        var weak = folder.Write("weak.so", TestElfFile.LibTorchSharpLike(TestElfFile.Weak, out var weakOffset));

        Assert.Equal(new VersionNeed(VersionNeedKind.Strong, offset), ElfSymbolVersions.FindVersionNeed(strong, Version));
        Assert.Equal(new VersionNeed(VersionNeedKind.Weak, weakOffset), ElfSymbolVersions.FindVersionNeed(weak, Version));
        Assert.Equal(VersionNeedKind.Strong, ElfSymbolVersions.FindVersionNeed(strong, "GLIBC_2.14").Kind);
        // Names match whole: neither a prefix nor a longer name is the version.
        Assert.Equal(VersionNeedKind.NotNeeded, ElfSymbolVersions.FindVersionNeed(strong, "GLIBCXX_3.4.3").Kind);
        Assert.Equal(VersionNeedKind.NotNeeded, ElfSymbolVersions.FindVersionNeed(strong, "GLIBCXX_3.4.321").Kind);
    }

    [Fact]
    public void MarkingChangesOnlyTheFlagsOfThatNeed()
    {
        using var folder = new TempFolder();
        var image = TestElfFile.LibTorchSharpLike(0, out var offset);
        var path = folder.Write("lib.so", image);
        ElfSymbolVersions.MarkVersionNeedWeak(path, Version);
        var expected = (byte[])image.Clone();
        expected[offset] = (byte)TestElfFile.Weak;
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void LibraryWithoutTheNeedOrWithoutVersionSectionsIsNotNeeded()
    {
        using var folder = new TempFolder();
        var other = folder.Write("other.so", TestElfFile.Build([new TestElfFile.Need("libc.so.6", ("GLIBC_2.2.5", 0))], [], out _));
        var none = folder.Write("none.so", TestElfFile.Build([], [], out _));
        Assert.Equal(VersionNeedKind.NotNeeded, ElfSymbolVersions.FindVersionNeed(other, Version).Kind);
        Assert.Equal(VersionNeedKind.NotNeeded, ElfSymbolVersions.FindVersionNeed(none, Version).Kind);
        var before = File.ReadAllBytes(other);
        Assert.Equal(VersionNeedKind.NotNeeded, ElfSymbolVersions.MarkVersionNeedWeak(other, Version).Kind);
        Assert.Equal(before, File.ReadAllBytes(other));
    }

    [Fact]
    public void NonElfInputIsNotApplicableAndLeftAlone()
    {
        using var folder = new TempFolder();
        var text = folder.Write("text.so", "INPUT ( libfoo.so.1 )\n"u8.ToArray());
        var empty = folder.Write("empty.so", []);
        var elf32 = TestElfFile.LibTorchSharpLike(0, out _);
        elf32[4] = 1; // ELFCLASS32
        var elf32Path = folder.Write("elf32.so", elf32);
        var bigEndian = TestElfFile.LibTorchSharpLike(0, out _);
        bigEndian[5] = 2; // ELFDATA2MSB
        var bigEndianPath = folder.Write("be.so", bigEndian);

        foreach (var path in new[] { text, empty, elf32Path, bigEndianPath })
        {
            var before = File.ReadAllBytes(path);
            Assert.Equal(VersionNeedKind.NotApplicable, ElfSymbolVersions.FindVersionNeed(path, Version).Kind);
            Assert.Equal(VersionNeedKind.NotApplicable, ElfSymbolVersions.MarkVersionNeedWeak(path, Version).Kind);
            Assert.Equal(before, File.ReadAllBytes(path));
        }
        var e = Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.DefinesVersion(text, Version));
        Assert.Contains(text, e.Message);
    }

    [Fact]
    public void CorruptOffsetsGiveAClearErrorNotACrash()
    {
        using var folder = new TempFolder();
        var image = TestElfFile.LibTorchSharpLike(0, out _);

        var headerOnly = folder.Write("header-only.so", image[..64]);
        var e1 = Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.FindVersionNeed(headerOnly, Version));
        Assert.Contains(headerOnly, e1.Message);

        var badSection = (byte[])image.Clone();
        long table = BitConverter.ToInt64(badSection, 0x28);
        // Section 2 (.gnu.version_r): an offset far past the end of the file.
        BitConverter.GetBytes(0x7fff_ffff_0000L).CopyTo(badSection, (int)(table + 2 * 64 + 24));
        var badPath = folder.Write("bad-offset.so", badSection);
        var e2 = Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.FindVersionNeed(badPath, Version));
        Assert.Contains("exceeds", e2.Message);

        var badLink = (byte[])image.Clone();
        BitConverter.GetBytes(0xffffu).CopyTo(badLink, (int)(table + 2 * 64 + 40)); // sh_link to a section that does not exist
        var badLinkPath = folder.Write("bad-link.so", badLink);
        Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.FindVersionNeed(badLinkPath, Version));
    }

    [Fact]
    public void DefinitionsAreMatchedByWholeName()
    {
        using var folder = new TempFolder();
        var lib = folder.Write("libstdc++.so.6", TestElfFile.Defining("GLIBCXX_3.4", "GLIBCXX_3.4.30", "GLIBCXX_3.4.32"));
        var older = folder.Write("old/libstdc++.so.6", TestElfFile.Defining("GLIBCXX_3.4", "GLIBCXX_3.4.30"));
        Assert.True(ElfSymbolVersions.DefinesVersion(lib, Version));
        Assert.True(ElfSymbolVersions.DefinesVersion(lib, "GLIBCXX_3.4"));
        Assert.False(ElfSymbolVersions.DefinesVersion(lib, "GLIBCXX_3.4.3"));
        Assert.False(ElfSymbolVersions.DefinesVersion(older, Version));
        Assert.True(ElfSymbolVersions.DefinesVersion(older, "GLIBCXX_3.4.30"));
    }

    [LinuxFact]
    public void SystemLibStdCxxDefinesTheBaseVersionOnly()
    {
        var libStdCxx = TorchNativeLibraryPlan.FindLibStdCxx();
        Assert.NotNull(libStdCxx);
        // Every libstdc++.so.6 since GCC 3.4 defines GLIBCXX_3.4; none defines a version from the far future.
        Assert.True(ElfSymbolVersions.DefinesVersion(libStdCxx, "GLIBCXX_3.4"));
        Assert.True(ElfSymbolVersions.DefinesVersion(libStdCxx, "CXXABI_1.3"));
        Assert.False(ElfSymbolVersions.DefinesVersion(libStdCxx, "GLIBCXX_99.0"));
    }
}
