using PixMix.MLNet.Training;
using PixMix.MLNet.Native;
using PixMix.LibTorchSharpFix;
using PixMix.TestSupport;

namespace PixMix.MLNet.Tests.Training;

public class PatchedLibraryCacheTests
{
    private const string Version = "GLIBCXX_3.4.32";

    /// <summary>A TorchSharp-like layout: the library alone in its folder, LibTorch's libraries in another.</summary>
    private sealed class Layout : IDisposable
    {
        public readonly TempFolder Folder = new();
        public readonly string Library;
        public readonly string LibTorch;
        public readonly string CacheRoot;
        public readonly byte[] Original;

        public Layout()
        {
            Original = TestElfFile.LibTorchSharpLike(0, out _);
            Library = Folder.Write("torchsharp/runtimes/linux-x64/native/libLibTorchSharp.so", Original);
            LibTorch = Folder.File("libtorch/runtimes/linux-x64/native");
            foreach (var name in new[] { "libtorch.so", "libtorch_cpu.so", "libc10.so", "libgomp-98b21ff3.so.1", "libfoo.so.2.1", "README.txt", "libbar.so.txt" })
                Folder.Write($"libtorch/runtimes/linux-x64/native/{name}", System.Text.Encoding.ASCII.GetBytes(name));
            CacheRoot = Folder.File("cache", "pixmix", "libtorchsharp");
        }

        public IReadOnlyList<string> Folders => [Path.GetDirectoryName(Library)!, LibTorch];

        public void Dispose() => Folder.Dispose();
    }

    [LinuxFact]
    public void CreatesThePatchedCopyBesideLinksToTheOtherLibraries()
    {
        using var layout = new Layout();
        var patched = PatchedLibraryCache.GetOrCreate(layout.CacheRoot, layout.Library, layout.Folders, Version);

        var entry = Path.GetDirectoryName(patched)!;
        Assert.Equal(layout.CacheRoot, Path.GetDirectoryName(entry));
        Assert.Equal("libLibTorchSharp.so", Path.GetFileName(patched));
        Assert.Null(new FileInfo(patched).LinkTarget);
        Assert.Equal(VersionNeedKind.Weak, ElfSymbolVersions.FindVersionNeed(patched, Version).Kind);
        Assert.Equal(VersionNeedKind.Strong, ElfSymbolVersions.FindVersionNeed(layout.Library, Version).Kind);
        Assert.Equal(layout.Original, File.ReadAllBytes(layout.Library));

        var links = Directory.GetFiles(entry).Select(p => Path.GetFileName(p)).Where(n => n != "libLibTorchSharp.so").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["libc10.so", "libfoo.so.2.1", "libgomp-98b21ff3.so.1", "libtorch.so", "libtorch_cpu.so"], links);
        foreach (var name in links)
        {
            var link = new FileInfo(Path.Combine(entry, name));
            Assert.Equal(Path.Combine(layout.LibTorch, name), link.LinkTarget);
            Assert.Equal(name, File.ReadAllText(link.FullName));
        }
        // Nothing left of the staging folder.
        Assert.Equal([entry], Directory.GetDirectories(layout.CacheRoot));
    }

    [LinuxFact]
    public void ReusesAnIntactEntry()
    {
        using var layout = new Layout();
        var first = PatchedLibraryCache.GetOrCreate(layout.CacheRoot, layout.Library, layout.Folders, Version);
        var marker = Path.Combine(Path.GetDirectoryName(first)!, "marker");
        File.WriteAllText(marker, "kept");
        var written = File.GetLastWriteTimeUtc(first);

        var second = PatchedLibraryCache.GetOrCreate(layout.CacheRoot, layout.Library, layout.Folders, Version);
        Assert.Equal(first, second);
        Assert.True(File.Exists(marker), "an intact entry must be reused, not rebuilt");
        Assert.Equal(written, File.GetLastWriteTimeUtc(second));
    }

    [LinuxFact]
    public void RebuildsAnEntryWithADanglingLinkOrAnUnpatchedCopy()
    {
        using var layout = new Layout();
        var first = PatchedLibraryCache.GetOrCreate(layout.CacheRoot, layout.Library, layout.Folders, Version);
        var entry = Path.GetDirectoryName(first)!;
        File.WriteAllText(Path.Combine(entry, "marker"), "stale");
        File.Delete(Path.Combine(layout.LibTorch, "libfoo.so.2.1"));

        var second = PatchedLibraryCache.GetOrCreate(layout.CacheRoot, layout.Library, layout.Folders, Version);
        Assert.Equal(first, second);
        Assert.False(File.Exists(Path.Combine(entry, "marker")), "a damaged entry must be rebuilt");
        Assert.Empty(Directory.GetFiles(entry, "libfoo*"));
        // The link targets themselves survive the removal of the damaged entry.
        Assert.True(File.Exists(Path.Combine(layout.LibTorch, "libtorch_cpu.so")));

        File.WriteAllBytes(second, layout.Original); // an unpatched copy in place of the patched one
        File.WriteAllText(Path.Combine(entry, "marker"), "stale");
        var third = PatchedLibraryCache.GetOrCreate(layout.CacheRoot, layout.Library, layout.Folders, Version);
        Assert.Equal(VersionNeedKind.Weak, ElfSymbolVersions.FindVersionNeed(third, Version).Kind);
        Assert.False(File.Exists(Path.Combine(entry, "marker")));
        Assert.Single(Directory.GetDirectories(layout.CacheRoot));
    }

    [LinuxFact]
    public void AChangedOriginalGetsItsOwnEntry()
    {
        using var layout = new Layout();
        var first = PatchedLibraryCache.GetOrCreate(layout.CacheRoot, layout.Library, layout.Folders, Version);
        File.SetLastWriteTimeUtc(layout.Library, File.GetLastWriteTimeUtc(layout.Library).AddMinutes(-5));
        var second = PatchedLibraryCache.GetOrCreate(layout.CacheRoot, layout.Library, layout.Folders, Version);
        Assert.NotEqual(Path.GetDirectoryName(first), Path.GetDirectoryName(second));
        Assert.True(File.Exists(first));
        Assert.Matches("^[0-9a-f]{16}$", Path.GetFileName(Path.GetDirectoryName(second)!));
    }

    [LinuxFact]
    public void TheFirstFolderWinsANameAndTheLibraryItselfIsNotLinked()
    {
        using var layout = new Layout();
        var own = Path.GetDirectoryName(layout.Library)!;
        layout.Folder.Write("torchsharp/runtimes/linux-x64/native/libc10.so", "own"u8.ToArray());
        var patched = PatchedLibraryCache.GetOrCreate(layout.CacheRoot, layout.Library, [own, layout.LibTorch], Version);
        var entry = Path.GetDirectoryName(patched)!;
        Assert.Equal(Path.Combine(own, "libc10.so"), new FileInfo(Path.Combine(entry, "libc10.so")).LinkTarget);
        Assert.Null(new FileInfo(patched).LinkTarget);
    }

    [LinuxFact]
    public void ALibraryWithoutTheNeedIsRefusedAndLeavesNothingBehind()
    {
        using var layout = new Layout();
        var plain = layout.Folder.Write("plain/libLibTorchSharp.so", TestElfFile.Build([new TestElfFile.Need("libc.so.6", ("GLIBC_2.2.5", 0))], [], out _));
        var e = Assert.Throws<InvalidDataException>(() => PatchedLibraryCache.GetOrCreate(layout.CacheRoot, plain, [layout.LibTorch], Version));
        Assert.Contains(plain, e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(layout.CacheRoot));
        var missing = layout.Folder.File("missing", "libLibTorchSharp.so");
        Assert.Throws<FileNotFoundException>(() => PatchedLibraryCache.GetOrCreate(layout.CacheRoot, missing, [], Version));
    }

    [Theory]
    [InlineData("libtorch.so", true)]
    [InlineData("libgomp-98b21ff3.so.1", true)]
    [InlineData("libcudart.so.12.8.90", true)]
    [InlineData("libtorch.so.txt", false)]
    [InlineData("README.md", false)]
    [InlineData("libso", false)]
    public void RecognisesSharedLibraryNames(string name, bool expected)
        => Assert.Equal(expected, PatchedLibraryCache.IsSharedLibraryName(name));
}
