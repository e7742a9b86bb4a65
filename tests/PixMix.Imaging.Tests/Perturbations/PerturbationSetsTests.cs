using PixMix.Imaging.Perturbations;
using PixMix.Imaging.Core;
using PixMix.Imaging.Corruptions;
using PixMix.Imaging.Formats;
using PixMix.Imaging.Sources;
using PixMix.TestSupport;

namespace PixMix.Imaging.Tests.Perturbations;

public class PerturbationSetsTests
{
    private static readonly PerturbationSpec[] Specs =
        [new(PerturbationKind.Translate), new(PerturbationKind.GaussianNoise), new(PerturbationKind.GaussianNoise, 2), new(PerturbationKind.Spatter)];

    [Fact]
    public void WritesTheCifarPLayout()
    {
        using var dir = new TempFolder();
        var source = SyntheticSource.Create(9, 12, 10);
        var progress = new SyncProgress<PerturbationProgress>();
        var written = PerturbationSets.Write(source, dir.Path, Specs, seed: 5, new CorruptedSetWriterOptions { ChunkSize = 4 }, progress);
        Assert.Equal(["labels.npy", "translate.npy", "gaussian_noise.npy", "gaussian_noise_2.npy", "spatter.npy"], written.Select(Path.GetFileName));
        Assert.Equal(4 * 9, progress.Reports[^1].SequencesDone);
        Assert.Equal(4 * 9, progress.Reports[^1].SequencesTotal);
        using (var labels = NpyFile.Open(dir.File("labels.npy")))
        {
            Assert.Equal(NpyDType.UInt8, labels.DType);
            Assert.Equal(new long[] { 9 }, labels.Shape);
        }
        foreach (var spec in Specs)
        {
            using var npy = NpyFile.Open(dir.File(spec.Name + ".npy"));
            Assert.Equal(NpyDType.UInt8, npy.DType);
            Assert.Equal(new long[] { 9, spec.FrameCount, 10, 12, 3 }, npy.Shape);
        }
        Assert.Equal(["gaussian_noise", "gaussian_noise_2", "spatter", "translate"], PerturbationSequences.ListFolder(dir.Path));
        using var seq = PerturbationSequences.Open(dir.File("gaussian_noise.npy"));
        var frame = new byte[seq.FrameLength];
        var clean = new byte[seq.FrameLength];
        seq.ReadFrame(6, 0, frame);
        source.ReadImage(6, clean);
        Assert.Equal(clean, frame);
    }

    [Fact]
    public void TheBytesDoNotDependOnThreadsOrChunksAndMatchTheOnTheFlySource()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        var source = SyntheticSource.Create(11, 16, 16, channels: 1);
        PerturbationSets.Write(source, a.Path, Specs, 3, new CorruptedSetWriterOptions { ChunkSize = 2, MaxDegreeOfParallelism = 1 });
        PerturbationSets.Write(source, b.Path, Specs, 3, new CorruptedSetWriterOptions { ChunkSize = 7, MaxDegreeOfParallelism = 4 });
        foreach (var spec in Specs)
        {
            var bytes = File.ReadAllBytes(a.File(spec.Name + ".npy"));
            Assert.Equal(bytes, File.ReadAllBytes(b.File(spec.Name + ".npy")));
            using var onTheFly = new PerturbedSequenceSource(source, spec, 3);
            using var stored = PerturbationSequences.Open(a.File(spec.Name + ".npy"));
            Assert.Equal(11L * spec.FrameCount, onTheFly.Count);
            var x = new byte[256]; var y = new byte[256];
            // out of order on purpose: the cache must regenerate correctly
            foreach (long i in new long[] { 0, 5, spec.FrameCount + 1, 3, 10 * spec.FrameCount + spec.FrameCount - 1 })
            {
                onTheFly.ReadImage(i, x);
                stored.ReadFrame(i / spec.FrameCount, (int)(i % spec.FrameCount), y);
                Assert.Equal(y, x);
            }
        }
    }

    [Fact]
    public void AFolderOfAnotherSetOrTooSmallImagesAreRefused()
    {
        using var dir = new TempFolder();
        var source = SyntheticSource.Create(3, 12, 12);
        PerturbationSets.Write(source, dir.Path, [new(PerturbationKind.Rotate)], 1);
        var e = Assert.Throws<InvalidInputDataException>(() => PerturbationSets.Write(source, dir.Path, [new(PerturbationKind.Rotate)], 2));
        Assert.Contains("holds a set made with other settings", e.Message);
        Assert.DoesNotContain("corrupt", e.Message);
        using var other = new TempFolder();
        Assert.Contains("at least 8x8", Assert.Throws<ArgumentException>(() => PerturbationSets.Write(SyntheticSource.Create(3, 6, 12), other.Path, [new(PerturbationKind.Rotate)], 1)).Message);
        Assert.Contains("listed twice", Assert.Throws<ArgumentException>(() => PerturbationSets.Write(source, other.Path, [new(PerturbationKind.Rotate), new(PerturbationKind.Rotate)], 1)).Message);
    }
}
