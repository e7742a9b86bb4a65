using PixMix.Imaging.Core;
using PixMix.Imaging.Corruptions;
using PixMix.Imaging.Formats;
using PixMix.Imaging.Sources;
using PixMix.TestSupport;

namespace PixMix.Imaging.Tests.Corruptions;

[Collection(nameof(MemoryMeasuringCollection))]
public class CorruptedSetWriterTests
{
    private static byte Corrupted(string corruption, int severity, byte clean, long index, int k)
        => k == 0 ? (byte)index : (byte)(clean + severity * 10 + corruption.Length);

    private static readonly CorruptFn Corrupt = (name, severity, src, dst, index) =>
    {
        for (int k = 0; k < src.Length; k++) dst.Data[k] = Corrupted(name, severity, src.Data[k], index, k);
    };

    [Fact]
    public void WritesALayoutTheReaderAccepts()
    {
        using var dir = new TempFolder();
        var source = SyntheticSource.Create(37, 5, 4);
        var progress = new SyncProgress<CorruptedSetProgress>();
        var written = CorruptedSetWriter.Write(source, dir.Path, ["fog", "gaussian_noise"], Corrupt,
            new CorruptedSetWriterOptions { ChunkSize = 8, MaxDegreeOfParallelism = 4 }, progress);
        Assert.Equal(new[] { "labels.npy", "fog.npy", "gaussian_noise.npy" }, written.Select(Path.GetFileName));
        Assert.Equal(3, Directory.GetFiles(dir.Path).Count(f => !Path.GetFileName(f).StartsWith('.')));
        Assert.True(File.Exists(dir.File(CorruptedSetWriter.SetFileName)));
        Assert.False(File.Exists(dir.File(CorruptedSetWriter.LockFileName))); // released at the end of the run
        Assert.Equal(2 * 5 * 37, progress.Reports[^1].ImagesDone);
        Assert.Equal(2 * 5 * 37, progress.Reports[^1].ImagesTotal);

        using (var labels = NpyFile.Open(dir.File("labels.npy")))
        {
            Assert.Equal(NpyDType.UInt8, labels.DType);
            Assert.Equal(new long[] { 5 * 37 }, labels.Shape);
        }
        using var set = CifarCorruptedSet.Open(dir.Path);
        Assert.Equal(new[] { "gaussian_noise", "fog" }, set.Corruptions);
        var image = new byte[60];
        foreach (var name in set.Corruptions)
            for (int severity = 1; severity <= 5; severity++)
            {
                var s = set.Get(name, severity);
                Assert.Equal((37L, 5, 4, 3), (s.Count, s.Width, s.Height, s.Channels));
                for (long i = 0; i < 37; i++)
                {
                    s.ReadImage(i, image);
                    for (int k = 0; k < 60; k++) Assert.Equal(Corrupted(name, severity, SyntheticSource.Pixel(i, k), i, k), image[k]);
                    Assert.Equal(i * 3 % 10, s.ReadLabel(i));
                }
            }
    }

    [Fact]
    public void OutputDoesNotDependOnThreadsOrChunks()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        var source = SyntheticSource.Create(50, 3, 3, channels: 1);
        CorruptedSetWriter.Write(source, a.Path, ["snow"], Corrupt, new CorruptedSetWriterOptions { MaxDegreeOfParallelism = 1, ChunkSize = 50 });
        CorruptedSetWriter.Write(source, b.Path, ["snow"], Corrupt, new CorruptedSetWriterOptions { MaxDegreeOfParallelism = 3, ChunkSize = 7 });
        Assert.Equal(File.ReadAllBytes(a.File("snow.npy")), File.ReadAllBytes(b.File("snow.npy")));
        using var f = NpyFile.Open(a.File("snow.npy"));
        Assert.Equal(new long[] { 250, 3, 3, 1 }, f.Shape);
    }

    [Fact]
    public void LabelsOf256OrMoreClassesAreInt64()
    {
        using var dir = new TempFolder();
        CorruptedSetWriter.Write(SyntheticSource.Create(200, 2, 2, labelModulo: 1000), dir.Path, ["contrast"], Corrupt);
        using var labels = NpyFile.Open(dir.File("labels.npy"));
        Assert.Equal(NpyDType.Int64, labels.DType);
        var all = labels.ReadLabels();
        Assert.Equal(1000, all.Length);
        Assert.Equal(199 * 3 % 1000, all[199]);
        Assert.Equal(199 * 3 % 1000, all[999]);
    }

    [Fact]
    public void AFailingCorruptionLeavesNoFileAndKeepsItsException()
    {
        using var dir = new TempFolder();
        CorruptFn failing = (name, severity, src, dst, index) =>
        {
            if (severity == 3 && index == 11) throw new FormatException("boom");
            src.CopyTo(dst);
        };
        var e = Assert.Throws<FormatException>(() => CorruptedSetWriter.Write(SyntheticSource.Create(20, 2, 2), dir.Path, ["fog"], failing,
            new CorruptedSetWriterOptions { ChunkSize = 4, MaxDegreeOfParallelism = 2 }));
        Assert.Equal("boom", e.Message);
        Assert.Equal(new[] { "labels.npy" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')));
        Assert.Throws<ArgumentException>(() => CorruptedSetWriter.Write(SyntheticSource.Create(2, 2, 2), dir.Path, ["fog", "fog"], Corrupt));
        Assert.Throws<ArgumentException>(() => CorruptedSetWriter.Write(SyntheticSource.Create(2, 2, 2), dir.Path, ["labels"], Corrupt));
    }

    [Fact]
    public void CancellationStopsBetweenChunksAndDiscardsThePartialFile()
    {
        using var dir = new TempFolder();
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<CorruptedSetProgress>();
        CorruptFn cancelling = (n, s, src, dst, i) => { if (s == 2) cts.Cancel(); src.CopyTo(dst); };
        Assert.ThrowsAny<OperationCanceledException>(() => CorruptedSetWriter.Write(SyntheticSource.Create(40, 2, 2), dir.Path, ["fog"], cancelling,
            new CorruptedSetWriterOptions { ChunkSize = 10, MaxDegreeOfParallelism = 1 }, progress, cts.Token));
        Assert.Equal(new[] { "labels.npy" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')));
        Assert.True(progress.Reports.Count is > 0 and < 20);
    }

    [Fact]
    public void SkipExistingKeepsCompleteFiles()
    {
        using var dir = new TempFolder();
        var source = SyntheticSource.Create(6, 2, 2);
        CorruptedSetWriter.Write(source, dir.Path, ["fog"], Corrupt);
        var stamp = File.GetLastWriteTimeUtc(dir.File("fog.npy"));
        int calls = 0;
        CorruptFn counting = (n, s, src, dst, i) => { Interlocked.Increment(ref calls); Corrupt(n, s, src, dst, i); };
        CorruptedSetWriter.Write(source, dir.Path, ["fog", "snow"], counting, new CorruptedSetWriterOptions { SkipExisting = true });
        Assert.Equal(6 * 5, calls);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(dir.File("fog.npy")));
        Assert.True(File.Exists(dir.File("snow.npy")));
    }

    [Fact]
    public void MemoryDoesNotGrowWithTheNumberOfImages()
    {
        using var dir = new TempFolder();
        CorruptFn copy = (name, severity, src, dst, index) => src.CopyTo(dst);
        var options = new CorruptedSetWriterOptions { ChunkSize = 128, MaxDegreeOfParallelism = 2 };
        long Allocated(long n)
        {
            string folder = dir.File($"n{n}");
            long before = GC.GetTotalAllocatedBytes(precise: true);
            CorruptedSetWriter.Write(Filled(n), folder, ["fog"], copy, options);
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            Assert.Equal(n * 5 * 3072 + 128, new FileInfo(Path.Combine(folder, "fog.npy")).Length);
            return allocated;
        }
        Allocated(100); // warm up
        long small = Allocated(200), large = Allocated(1600);
        long largeOutput = 1600L * 5 * 3072; // 24.6 MB written
        Assert.True(large < largeOutput / 10, $"writing {largeOutput} bytes allocated {large} bytes");
        Assert.True(large - small < 1 << 20, $"allocations grew from {small} to {large} bytes with N");
        using var set = CifarCorruptedSet.Open(dir.File("n1600"));
        var image = new byte[3072];
        set.Get("fog", 4).ReadImage(1599, image);
        Assert.All(image, v => Assert.Equal(unchecked((byte)1599), v));
    }

    [Fact]
    public void OneFolderNeverMixesTwoSets()
    {
        using var dir = new TempFolder();
        var source = SyntheticSource.Create(6, 2, 2);
        CorruptedSetWriter.Write(source, dir.Path, ["fog"], Corrupt, new CorruptedSetWriterOptions { SetDescription = "seed=1" });
        // The same set goes on (another corruption added); another seed, or other images, are refused naming both.
        CorruptedSetWriter.Write(source, dir.Path, ["snow"], Corrupt, new CorruptedSetWriterOptions { SetDescription = "seed=1", SkipExisting = true });
        var e = Assert.Throws<InvalidInputDataException>(() => CorruptedSetWriter.Write(source, dir.Path, ["frost"], Corrupt, new CorruptedSetWriterOptions { SetDescription = "seed=2" }));
        Assert.Contains("seed=1", e.Message);
        Assert.Contains("seed=2", e.Message);
        Assert.Throws<InvalidInputDataException>(() => CorruptedSetWriter.Write(SyntheticSource.Create(7, 2, 2), dir.Path, ["frost"], Corrupt, new CorruptedSetWriterOptions { SetDescription = "seed=1" }));
        Assert.False(File.Exists(dir.File("frost.npy")));
        // A folder of .npy files this writer did not start is not written into.
        using var other = new TempFolder();
        File.WriteAllBytes(other.File("fog.npy"), [1]);
        Assert.Contains("did not start", Assert.Throws<InvalidInputDataException>(() => CorruptedSetWriter.Write(source, other.Path, ["snow"], Corrupt)).Message);
    }

    [Fact]
    public void AFolderBeingWrittenIsLockedForOtherRuns()
    {
        using var dir = new TempFolder();
        var source = SyntheticSource.Create(4, 2, 2);
        Exception? inner = null;
        CorruptFn nested = (name, severity, src, dst, index) =>
        {
            // While this run writes, a second run into the same folder is refused at once.
            if (inner is null)
                inner = Record.Exception(() => CorruptedSetWriter.Write(source, dir.Path, ["snow"], Corrupt));
            Corrupt(name, severity, src, dst, index);
        };
        CorruptedSetWriter.Write(source, dir.Path, ["fog"], nested, new CorruptedSetWriterOptions { MaxDegreeOfParallelism = 1 });
        var refused = Assert.IsType<InvalidInputDataException>(inner);
        Assert.Contains("another run", refused.Message);
        Assert.False(File.Exists(dir.File("snow.npy")));
    }

    /// <summary>32x32 RGB images filled with their index (mod 256), labelled index mod 10.</summary>
    private static ArrayImageSource Filled(long count) => new(count, 32, 32, 3, (index, _) => (byte)index, index => (int)(index % 10));
}
