namespace PixMix.Imaging.Tests.Core;

public class FileKindTests
{
    [Fact]
    public void RegularFilesFoldersAndMissingPaths()
    {
        string folder = Path.Combine(Path.GetTempPath(), "pixmix-kind-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            string file = Path.Combine(folder, "a.bin");
            File.WriteAllBytes(file, [1, 2, 3]);
            Assert.Equal(FileKind.Regular, FileKinds.Of(file));
            Assert.Equal(FileKind.Directory, FileKinds.Of(folder));
            Assert.Equal(FileKind.Missing, FileKinds.Of(Path.Combine(folder, "none")));
            if (!OperatingSystem.IsWindows())
            {
                string link = Path.Combine(folder, "link");
                File.CreateSymbolicLink(link, file);
                Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(link));
                string dangling = Path.Combine(folder, "dangling");
                File.CreateSymbolicLink(dangling, Path.Combine(folder, "gone"));
                Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(dangling));
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void DevicesAndFifosAreToldApart()
    {
        if (!OperatingSystem.IsLinux()) return;
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/null"));
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/full"));
        string fifo = Path.Combine(Path.GetTempPath(), "pixmix-fifo-" + Guid.NewGuid().ToString("N")[..8]);
        using (var p = System.Diagnostics.Process.Start("mkfifo", fifo)) p.WaitForExit();
        try { Assert.Equal(FileKind.Fifo, FileKinds.Of(fifo)); }
        finally { File.Delete(fifo); }
    }
}

public class AtomicFileDestinationTests
{
    [Fact]
    public void DevicesFoldersAndLinksAreNeverReplaced()
    {
        string folder = Path.Combine(Path.GetTempPath(), "pixmix-dest-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            Assert.Throws<PixMix.Imaging.Core.InvalidInputDataException>(() => AtomicFile.WriteAllText(folder, "x"));
            Assert.True(Directory.Exists(folder));
            string target = Path.Combine(folder, "target.txt");
            File.WriteAllText(target, "kept");
            if (!OperatingSystem.IsWindows())
            {
                string link = Path.Combine(folder, "link.txt");
                File.CreateSymbolicLink(link, target);
                var e = Assert.Throws<PixMix.Imaging.Core.InvalidInputDataException>(() => AtomicFile.WriteAllText(link, "x"));
                Assert.Contains("symbolic link", e.Message);
                Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(link));
            }
            if (OperatingSystem.IsLinux())
            {
                var e = Assert.Throws<PixMix.Imaging.Core.InvalidInputDataException>(() => AtomicFile.WriteAllText("/dev/null", "x"));
                Assert.Contains("character device", e.Message);
                Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/null"));
            }
            AtomicFile.WriteAllText(target, "replaced");   // a regular file is replaced
            Assert.Equal("replaced", File.ReadAllText(target));
            Assert.Empty(Directory.GetFiles(folder, "*.tmp")); // no temporary file is left behind by the refusals
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}

public class AtomicFileTemporaryTests
{
    [Fact]
    public void TemporariesOfKilledRunsAreDeletedAndThoseOfLiveWritersKept()
    {
        string folder = Path.Combine(Path.GetTempPath(), "pixmix-tmp-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            string target = Path.Combine(folder, "model.zip");
            // A killed run's leftover: named as ours, nobody holds it.
            string stale = Path.Combine(folder, ".model.zip.999999.0123456789ab.tmp");
            File.WriteAllText(stale, "half");
            // Another target's temporary is not touched.
            string other = Path.Combine(folder, ".other.zip.999999.0123456789ab.tmp");
            File.WriteAllText(other, "half");
            using (var live = AtomicFile.CreateTemporary(target))
            {
                Assert.False(File.Exists(stale));
                Assert.True(File.Exists(other));
                Assert.Contains($".{Environment.ProcessId}.", Path.GetFileName(live.TempPath));
                // While it is written, it is locked: a cleanup by another writer of the same target leaves it.
                Assert.Equal(0, AtomicFile.DeleteStaleTemporaries(folder, "model.zip"));
                Assert.True(File.Exists(live.TempPath));
                live.Stream.Write([1, 2, 3]);
                live.Commit();
                Assert.False(File.Exists(live.TempPath));
            }
            Assert.Equal([1, 2, 3], File.ReadAllBytes(target));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void AWriteThatFailsLeavesTheTargetAndNoTemporary()
    {
        string folder = Path.Combine(Path.GetTempPath(), "pixmix-tmp-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            string target = Path.Combine(folder, "a.txt");
            File.WriteAllText(target, "old");
            Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(target, s => { s.WriteByte(1); throw new InvalidOperationException("boom"); }));
            Assert.Equal("old", File.ReadAllText(target));
            Assert.Single(Directory.GetFiles(folder));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}

public class FreeSpaceTests
{
    [Fact]
    public void AnOutputLargerThanTheFileSystemIsRefusedBeforeWriting()
    {
        string folder = Path.GetTempPath();
        long free = FreeSpace.Available(folder) ?? 0;
        Assert.True(free > 0, "the temporary folder's file system reports no free space");
        var e = Assert.Throws<PixMix.Imaging.Core.InvalidInputDataException>(() => FreeSpace.Require(folder, free + (4L << 30), "A test output"));
        Assert.Contains("GiB", e.Message);
        Assert.Contains(folder, e.Message);
        FreeSpace.Require(folder, 1 << 20, "A small output");   // small outputs are never refused
    }
}
