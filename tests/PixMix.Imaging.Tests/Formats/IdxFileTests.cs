using PixMix.Imaging.Formats;
using PixMix.Imaging.Sources;
using PixMix.TestSupport;

namespace PixMix.Imaging.Tests.Formats;

public class IdxFileTests
{
    internal static byte[] Idx(byte type, int[] dims, byte[] data) => PixMix.TestSupport.IdxFiles.Encode(dims, data, type);

    internal static byte[] Gzip(byte[] raw) => PixMix.TestSupport.IdxFiles.Gzip(raw);

    internal static byte[] Images(int n = 3, int rows = 5, int cols = 4) => Idx(0x08, [n, rows, cols], Fixtures.PatternBytes(n * rows * cols));
    internal static byte[] Labels(params byte[] labels) => Idx(0x08, [labels.Length], labels);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsImagesAndLabelsRawOrGzip(bool gzip)
    {
        using var dir = new TempFolder();
        var images = dir.Write("images-idx3-ubyte" + (gzip ? ".gz" : ""), gzip ? Gzip(Images()) : Images());
        var labels = dir.Write("labels-idx1-ubyte" + (gzip ? ".gz" : ""), gzip ? Gzip(Labels(7, 0, 2)) : Labels(7, 0, 2));
        using (var file = IdxFile.Open(images))
        {
            Assert.Equal(IdxFile.ImagesMagic, file.Magic);
            Assert.Equal(new[] { 3, 5, 4 }, file.Dimensions);
        }
        using var source = IdxImageSource.Open(images, labels);
        Assert.Equal((3L, 4, 5, 1), (source.Count, source.Width, source.Height, source.Channels));
        var image = new byte[20];
        source.ReadImage(2, image);
        for (int k = 0; k < 20; k++) Assert.Equal(Fixtures.Pattern(40 + k), image[k]);
        Assert.Equal(new[] { 7, 0, 2 }, Enumerable.Range(0, 3).Select(i => source.ReadLabel(i)));
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "does not start with two zero bytes", [0x01, 0x00, 0x08, 0x03, 0, 0, 0, 0] },
        { "element type code 0x0D (float32) is not supported", Idx(0x0D, [1], [0, 0, 0, 0]) },
        { "declares 0 dimensions", [0, 0, 8, 0] },
        { "too short for the 4-byte magic number", [0, 0] },
        { "the header needs 16 bytes but the file has only 10 (truncated)", Images()[..10] },
        { "declare 60 bytes of data but only 59 follow the header (truncated)", Images()[..^1] },
        { "(2 extra)", [.. Images(), 1, 2] },
        { "declare 2000000000 bytes of data but only 0 follow", Idx(0x08, [2_000_000_000], []) },
        { "more than supported", Idx(0x08, [int.MaxValue, 28, 28], []) },
        { "dimension 0 is 4294967295, too large", [0, 0, 8, 1, 0xFF, 0xFF, 0xFF, 0xFF] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedRawFilesAreClearErrors(string problem, byte[] bytes)
    {
        using var dir = new TempFolder();
        var path = dir.Write("bad-idx", bytes);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Open(path));
        Assert.Contains(problem, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void GzipWithHugeDeclaredSizeFailsWithoutAHugeAllocation()
    {
        using var dir = new TempFolder();
        // Random data, so the file is large enough that deflate could inflate it to what the header declares.
        var data = new byte[5000];
        new Random(3).NextBytes(data);
        var path = dir.Write("huge.gz", Gzip(Idx(0x08, [4000, 28, 28], data)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Open(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20, "a lying gzip header caused a large allocation");
        Assert.Contains("the decompressed file ends after 5000 (truncated)", e.Message);

        var corrupt = Gzip(Images());
        corrupt[^6] ^= 0xFF; // CRC
        var c = Assert.Throws<InvalidDataException>(() => IdxFile.Open(dir.Write("crc.gz", corrupt)));
        Assert.Contains("gzip stream is corrupt", c.Message);
        Assert.Contains("crc.gz", c.Message);

        Assert.Contains("decompressed file is longer", Assert.Throws<InvalidDataException>(() => IdxFile.Open(dir.Write("long.gz", Gzip([.. Images(), 9])))).Message);
    }

    /// <summary>A header declaring more than deflate can inflate from the file (a gzip bomb) is refused before decompressing.</summary>
    [Fact]
    public void GzipBombIsRefusedBeforeDecompressing()
    {
        using var dir = new TempFolder();
        var path = dir.Write("bomb.gz", Gzip(Idx(0x08, [60_000, 100, 100], new byte[1 << 20])));
        Assert.True(new FileInfo(path).Length < 64 << 10);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Open(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the bomb was decompressed before being refused");
        Assert.Contains(path, e.Message);
        Assert.Contains("more than gzip can inflate from a file of", e.Message);
    }

    public static TheoryData<string, string> DamagedTrailers => new()
    {
        { "cut1", "the file is cut off" },
        { "cut4", "the file is cut off" },
        { "cut8", "the file is cut off" },
        { "length", "gzip stream is corrupt" },
        { "appended", "the file is cut off, has bytes appended" },
        { "twice", "decompressed file is longer" },
        { "crc", "gzip stream is corrupt" },
        { "short", "too short for a gzip header and trailer" },
    };

    /// <summary>
    /// The gzip trailer is checked: a file cut anywhere in it, a wrong length (ISIZE) or CRC-32, bytes appended or a second
    /// member are refused naming the file (the runtime's decompressor accepts a cut-off trailer silently).
    /// </summary>
    [Theory]
    [MemberData(nameof(DamagedTrailers))]
    public void DamagedGzipTrailersAreRefusedNamingTheFile(string damage, string problem)
    {
        using var dir = new TempFolder();
        var good = Gzip(Images());
        byte[] bytes = damage switch
        {
            "cut1" => good[..^1],
            "cut4" => good[..^4],
            "cut8" => good[..^8],
            "length" => Flip(good, good.Length - 1),
            "crc" => Flip(good, good.Length - 8),
            "appended" => [.. good, 0, 0, 0, 0],
            "twice" => [.. good, .. good],
            "short" => good[..17],
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        var path = dir.Write(damage + "-idx3-ubyte.gz", bytes);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(problem, e.Message);
        // In memory as well.
        var m = Assert.Throws<InvalidDataException>(() => IdxFile.FromBytes(bytes, "memory.gz"));
        Assert.Contains("memory.gz", m.Message);

        using var intact = IdxFile.Open(dir.Write("good-idx3-ubyte.gz", good));
        Assert.Equal(new[] { 3, 5, 4 }, intact.Dimensions);
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= 0x01;
        return copy;
    }

    [Fact]
    public void CountMismatchNamesBothFiles()
    {
        using var dir = new TempFolder();
        var images = dir.Write("images", Images());
        var labels = dir.Write("labels", Labels(1, 2, 3, 4));
        var e = Assert.Throws<InvalidDataException>(() => IdxImageSource.Open(images, labels));
        Assert.Contains($"'{images}' holds 3 images but label file '{labels}' holds 4 labels", e.Message);
        Assert.Contains("a label file (magic 0x00000801) has 1", Assert.Throws<InvalidDataException>(() => IdxImageSource.Open(images, images)).Message);
        Assert.Contains("an image file (magic 0x00000803) has 3", Assert.Throws<InvalidDataException>(() => IdxImageSource.Open(labels)).Message);
        var bad = dir.Write("bad-labels", Labels(1, 12, 3));
        Assert.Contains("label 1 is 12; there are 10 classes", Assert.Throws<InvalidDataException>(() => IdxImageSource.Open(images, bad, FashionMnist.ClassNames)).Message);
    }
}
