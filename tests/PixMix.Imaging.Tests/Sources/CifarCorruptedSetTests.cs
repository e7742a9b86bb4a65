using PixMix.Imaging.Core;
using PixMix.Imaging.Formats;
using PixMix.Imaging.Sources;
using PixMix.Imaging.Tests.Formats;
using PixMix.TestSupport;

namespace PixMix.Imaging.Tests.Sources;

public class CifarCorruptedSetTests
{
    private static TempFolder CopyFixtureFolder()
    {
        var dir = new TempFolder();
        foreach (var f in Directory.GetFiles(Fixtures.Npy("cifar_c")))
            File.Copy(f, dir.File(Path.GetFileName(f)));
        return dir;
    }

    [Fact]
    public void ListsCorruptionsInBenchmarkOrderAndSlicesSeverities()
    {
        using var set = CifarCorruptedSet.Open(Fixtures.Npy("cifar_c"));
        Assert.Equal(new[] { "gaussian_noise", "fog" }, set.Corruptions);
        Assert.True(set.HasLabels);
        var image = new byte[48];
        for (int severity = 1; severity <= 5; severity++)
        {
            var source = set.Get("gaussian_noise", severity);
            Assert.Equal((2L, 4, 4, 3), (source.Count, source.Width, source.Height, source.Channels));
            for (int i = 0; i < 2; i++)
            {
                source.ReadImage(i, image);
                long first = ((severity - 1) * 2 + i) * 48L;
                for (int k = 0; k < 48; k++) Assert.Equal(Fixtures.Pattern(first + k), image[k]);
                Assert.Equal(i + 1, source.ReadLabel(i));
            }
            set.Get("fog", severity).ReadImage(1, image);
            Assert.Equal(255 - Fixtures.Pattern(((severity - 1) * 2 + 1) * 48L), image[0]);
        }
        Assert.Equal(10, set.GetAllSeverities("fog").Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Get("fog", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Get("fog", 6));
        Assert.Contains("present: gaussian_noise, fog", Assert.Throws<ArgumentException>(() => set.Get("snow", 1)).Message);
    }

    [Fact]
    public void KnowsTheNineteenCorruptionNames()
    {
        Assert.Equal(15, CifarCorruptedSet.BenchmarkCorruptions.Count);
        Assert.Equal("jpeg_compression", CifarCorruptedSet.BenchmarkCorruptions[14]);
        Assert.Equal(new[] { "speckle_noise", "gaussian_blur", "spatter", "saturate" }, CifarCorruptedSet.ExtraCorruptions);
        var enumNames = Enum.GetNames<PixMix.Imaging.Corruptions.CorruptionKind>();
        Assert.Equal(enumNames.Length, CifarCorruptedSet.AllCorruptions.Count);
        for (int i = 0; i < enumNames.Length; i++)
            Assert.Equal(enumNames[i].ToLowerInvariant(), CifarCorruptedSet.AllCorruptions[i].Replace("_", ""));
    }

    [Fact]
    public void AcceptsOneLabelPerImageOrOnePerSeverityBlock()
    {
        using var dir = CopyFixtureFolder();
        NpyWriter.Write(dir.File("labels.npy"), new long[] { 4, 8 }, 2);
        using var set = CifarCorruptedSet.Open(dir.Path, ["a", "b", "c", "d", "e", "f", "g", "h", "i"], DataFileAccess.PositionedReads);
        var image = new byte[48];
        set.Get("gaussian_noise", 4).ReadImage(1, image);
        Assert.Equal(Fixtures.Pattern(7 * 48 + 47), image[47]);
        var s5 = set.Get("fog", 5);
        Assert.Equal(new[] { 4, 8 }, new[] { s5.ReadLabel(0), s5.ReadLabel(1) });
        Assert.Equal("i", s5.ClassNames![8]);
        Assert.Equal(8, set.GetAllSeverities("fog").ReadLabel(9));
    }

    [Fact]
    public void MismatchedLabelsNameBothFiles()
    {
        using var dir = CopyFixtureFolder();
        NpyWriter.Write(dir.File("labels.npy"), new byte[7], 7);
        // Found when the folder is opened, as its own error naming the labels file and a corruption file.
        var e = Assert.Throws<InvalidInputDataException>(() => CifarCorruptedSet.Open(dir.Path));
        Assert.Contains(dir.File("gaussian_noise.npy"), e.Message);
        Assert.Contains(dir.File("labels.npy"), e.Message);
        Assert.Contains("holds 7 labels", e.Message);
        Assert.Contains("expected 10 labels (one per image) or 2", e.Message);
        Assert.Equal(dir.File("labels.npy"), e.Path);
    }

    [Fact]
    public void AFolderWithOnlyLabelsSaysWhatItHoldsAndWhatIsExpected()
    {
        using var dir = new TempFolder();
        NpyWriter.Write(dir.File("labels.npy"), new byte[10], 10);
        var e = Assert.Throws<InvalidInputDataException>(() => CifarCorruptedSet.Open(dir.Path));
        Assert.Contains("it holds labels.npy", e.Message);
        Assert.Contains("expected one uint8 (5N, H, W, C) file per corruption", e.Message);
    }

    [Fact]
    public void RefusesImageFilesThatAreNotFiveSeverityBlocks()
    {
        using var dir = CopyFixtureFolder();
        NpyWriter.Write(dir.File("snow.npy"), new byte[9 * 48], 9, 4, 4, 3);
        NpyWriter.Write(dir.File("frost.npy"), new float[10 * 48], 10, 4, 4, 3);
        using var set = CifarCorruptedSet.Open(dir.Path);
        Assert.Equal(new[] { "gaussian_noise", "snow", "frost", "fog" }, set.Corruptions);
        Assert.Contains("not a multiple of the 5 severities", Assert.Throws<InvalidDataException>(() => set.Get("snow", 1)).Message);
        Assert.Contains("images must be uint8", Assert.Throws<InvalidDataException>(() => set.Get("frost", 1)).Message);
    }

    [Fact]
    public void OpenCorruptionReleasesItsMappingOnDispose()
    {
        using var set = CifarCorruptedSet.Open(Fixtures.Npy("cifar_c"));
        var file = set.OpenCorruption("fog");
        Assert.Equal(2, file.ImagesPerSeverity);
        var source = file.Severity(2);
        var image = new byte[48];
        source.ReadImage(0, image);
        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => source.ReadImage(0, image));
        set.Get("fog", 1).ReadImage(0, image);
        Assert.Equal(255 - Fixtures.Pattern(0), image[0]);
    }

    [Fact]
    public void PerturbationSequencesReadFramesInOrder()
    {
        using var p = PerturbationSequences.Open(Fixtures.Npy(Path.Combine("cifar_p", "brightness.npy")));
        Assert.Equal((2L, 3, 4, 4, 3), (p.Count, p.FrameCount, p.Width, p.Height, p.Channels));
        var frame = new byte[48];
        p.ReadFrame(1, 2, frame);
        Assert.Equal(Fixtures.Pattern((1 * 3 + 2) * 48), frame[0]);
        var sequence = new byte[3 * 48];
        p.ReadSequence(1, sequence);
        Assert.Equal(Fixtures.Pattern(3 * 48 + 47), sequence[47]);
        var frames = p.Frame(1);
        frames.ReadImage(0, frame);
        Assert.Equal(Fixtures.Pattern(48 + 5), frame[5]);
        Assert.False(frames.HasLabels);
        Assert.Equal(new[] { "brightness" }, PerturbationSequences.ListFolder(Fixtures.Npy("cifar_p")));
        Assert.Contains("expected (N, frames, H, W, C)", Assert.Throws<InvalidDataException>(() => PerturbationSequences.Open(Fixtures.Npy("u8_images_v1.npy"))).Message);
        using var dir = new TempFolder();
        // A header declaring 2^40 frames of 65536x65536x3 must be refused by shape, not overflow.
        var lying = NpyFileTests.Handmade("{'descr': '|u1', 'fortran_order': False, 'shape': (0, 1099511627776, 65536, 65536, 3), }", 0);
        Assert.Contains("expected (N, frames, H, W, C)", Assert.Throws<InvalidDataException>(() => PerturbationSequences.Open(dir.Write("lying.npy", lying))).Message);
    }
}
