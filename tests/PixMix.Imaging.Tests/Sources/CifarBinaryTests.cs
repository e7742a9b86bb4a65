using PixMix.Imaging.Formats;
using PixMix.Imaging.Sources;
using PixMix.TestSupport;

namespace PixMix.Imaging.Tests.Sources;

public class CifarBinaryTests
{
    /// <summary>Pixel byte k (planar: R plane, G plane, B plane) of global record r.</summary>
    private static byte Planar(int record, int k) => (byte)(record * 31 + k * 7 + k / 1024);

    /// <summary>One record exactly as in the CIFAR binaries: label byte(s), then 3072 channel-planar pixels.</summary>
    private static byte[] Record(int record, params byte[] labels)
    {
        var bytes = new byte[labels.Length + 3072];
        labels.CopyTo(bytes, 0);
        for (int k = 0; k < 3072; k++) bytes[labels.Length + k] = Planar(record, k);
        return bytes;
    }

    private static byte[] Batch(int firstRecord, int records, Func<int, byte[]> labels)
        => Enumerable.Range(firstRecord, records).SelectMany(r => Record(r, labels(r))).ToArray();

    private static TempFolder Cifar10(bool meta = true)
    {
        var dir = new TempFolder();
        for (int b = 1; b <= 5; b++)
            dir.Write(Path.Combine("cifar-10-batches-bin", $"data_batch_{b}.bin"), Batch((b - 1) * 3, 3, r => [(byte)(r % 10)]));
        dir.Write(Path.Combine("cifar-10-batches-bin", "test_batch.bin"), Batch(100, 2, r => [(byte)(9 - r % 10)]));
        if (meta)
            File.WriteAllText(dir.File(Path.Combine("cifar-10-batches-bin", "batches.meta.txt")),
                "plane\ncar\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n\n");
        return dir;
    }

    private static void AssertInterleaved(int record, byte[] hwc)
    {
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
                for (int c = 0; c < 3; c++)
                    Assert.Equal(Planar(record, c * 1024 + y * 32 + x), hwc[(y * 32 + x) * 3 + c]);
    }

    [Fact]
    public void Cifar10TrainConcatenatesTheFiveBatchesAsHwc()
    {
        using var dir = Cifar10();
        using var train = CifarBinarySource.OpenCifar10(dir.Path, train: true);
        Assert.Equal((15L, 32, 32, 3, 10), (train.Count, train.Width, train.Height, train.Channels, train.ClassCount));
        Assert.Equal("car", train.ClassNames![1]);
        var image = new byte[3072];
        foreach (int i in new[] { 0, 2, 3, 7, 14 })
        {
            train.ReadImage(i, image);
            AssertInterleaved(i, image);
            Assert.Equal(i % 10, train.ReadLabel(i));
        }
        using var test = CifarBinarySource.OpenCifar10(Path.Combine(dir.Path, "cifar-10-batches-bin"), train: false);
        Assert.Equal(2, test.Count);
        test.ReadImage(1, image);
        AssertInterleaved(101, image);
        Assert.Equal(9 - 101 % 10, test.ReadLabel(1));
    }

    [Fact]
    public void Cifar10WithoutMetaFileUsesTheStandardNames()
    {
        using var dir = Cifar10(meta: false);
        using var test = CifarBinarySource.OpenCifar10(dir.Path, train: false);
        Assert.Equal("airplane", test.ClassNames![0]);
        Assert.Equal("truck", test.ClassNames![9]);
    }

    [Fact]
    public void Cifar100ReadsFineOrCoarseLabels()
    {
        using var dir = new TempFolder();
        dir.Write(Path.Combine("cifar-100-binary", "train.bin"), Batch(0, 4, r => [(byte)(r + 10), (byte)(r * 20 + 3)]));
        dir.Write(Path.Combine("cifar-100-binary", "test.bin"), Batch(50, 1, r => [19, 99]));
        File.WriteAllLines(dir.File(Path.Combine("cifar-100-binary", "fine_label_names.txt")), Enumerable.Range(0, 100).Select(i => "fine" + i));
        File.WriteAllLines(dir.File(Path.Combine("cifar-100-binary", "coarse_label_names.txt")), Enumerable.Range(0, 20).Select(i => "coarse" + i));
        using var fine = CifarBinarySource.OpenCifar100(dir.Path, train: true);
        using var coarse = CifarBinarySource.OpenCifar100(dir.Path, train: true, CifarLabelKind.Coarse);
        Assert.Equal(4, fine.Count);
        Assert.Equal(new[] { 3, 23, 43, 63 }, Enumerable.Range(0, 4).Select(i => fine.ReadLabel(i)));
        Assert.Equal(new[] { 10, 11, 12, 13 }, Enumerable.Range(0, 4).Select(i => coarse.ReadLabel(i)));
        Assert.Equal("fine63", fine.ClassNames![63]);
        Assert.Equal("coarse13", coarse.ClassNames![13]);
        var image = new byte[3072];
        coarse.ReadImage(3, image);
        AssertInterleaved(3, image);
        using var test = CifarBinarySource.OpenCifar100(dir.Path, train: false);
        Assert.Equal(99, test.ReadLabel(0));
    }

    [Fact]
    public void FileLengthNotAMultipleOfTheRecordIsAClearError()
    {
        using var dir = Cifar10();
        var path = dir.File(Path.Combine("cifar-10-batches-bin", "data_batch_4.bin"));
        File.AppendAllText(path, "x");
        var e = Assert.Throws<InvalidDataException>(() => CifarBinarySource.OpenCifar10(dir.Path, train: true));
        Assert.Contains(path, e.Message);
        Assert.Contains("9220 bytes long, not a multiple of the 3073-byte record", e.Message);

        // A CIFAR-10 file read as CIFAR-100 (3073-byte records against 3074).
        using var c100 = new TempFolder();
        c100.Write("test.bin", Batch(0, 2, r => [1]));
        Assert.Contains("not a multiple of the 3074-byte record", Assert.Throws<InvalidDataException>(() => CifarBinarySource.OpenCifar100(c100.Path, train: false)).Message);
    }

    [Fact]
    public void OutOfRangeLabelsAndMissingFilesAreClearErrors()
    {
        using var dir = Cifar10();
        dir.Write(Path.Combine("cifar-10-batches-bin", "test_batch.bin"), Batch(0, 1, r => [10]));
        using var test = CifarBinarySource.OpenCifar10(dir.Path, train: false);
        Assert.Contains("label 10; labels must be below 10", Assert.Throws<InvalidDataException>(() => test.ReadLabel(0)).Message);
        File.Delete(dir.File(Path.Combine("cifar-10-batches-bin", "data_batch_2.bin")));
        Assert.Throws<FileNotFoundException>(() => CifarBinarySource.OpenCifar10(dir.Path, train: true));
        Assert.Throws<FileNotFoundException>(() => CifarBinarySource.OpenCifar10(Path.GetTempPath(), train: true));
    }

    [Theory]
    [InlineData(DataFileAccess.MemoryMapped)]
    [InlineData(DataFileAccess.PositionedReads)]
    public void ConcurrentReadsMatchTheRecords(DataFileAccess access)
    {
        using var dir = Cifar10();
        using var train = CifarBinarySource.OpenCifar10(dir.Path, train: true, access);
        int errors = 0;
        Parallel.For(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 6 }, n =>
        {
            int i = n % 15;
            var image = new byte[3072];
            train.ReadImage(i, image);
            if (image[3 * 33 + 2] != Planar(i, 2048 + 33) || train.ReadLabel(i) != i % 10) Interlocked.Increment(ref errors);
        });
        Assert.Equal(0, errors);
    }
}
