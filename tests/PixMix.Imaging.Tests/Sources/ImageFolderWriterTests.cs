using PixMix.Imaging.Sources;

namespace PixMix.Imaging.Tests.Sources;

public class ImageFolderWriterTests
{
    [Fact]
    public void FashionMnistRoundTripsThroughAnImageFolder()
    {
        using var dir = new TempFolder();
        var source = FashionMnist.Open(train: false);
        var files = ImageFolderWriter.WritePng(source, dir.Path, count: 40);

        Assert.Equal(40, files.Count);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), files.Select(f => f.Index));
        var expectedNames = FashionMnist.ClassNames.Select(n => n.Replace('/', '-')).ToArray();
        for (int i = 0; i < files.Count; i++)
        {
            Assert.Equal(expectedNames[source.ReadLabel(i)], files[i].ClassName);
            Assert.Equal(Path.Combine(dir.Path, files[i].ClassName!, $"{i:D5}.png"), files[i].Path);
        }
        Assert.Contains(files, f => f.ClassName == "T-shirt-top");

        // Read back as an image folder: the same pixels (PNG is lossless, 28x28 needs no resize), labelled by folder.
        var back = ImageFolderSource.Open(dir.Path, new ImageFolderOptions { Size = 28, Grayscale = true });
        Assert.Equal(40, back.Count);
        var byPath = files.ToDictionary(f => f.Path);
        var expected = new byte[28 * 28];
        var actual = new byte[28 * 28];
        for (int i = 0; i < back.Count; i++)
        {
            var file = byPath[back.Paths[i]];
            source.ReadImage(file.Index, expected);
            back.ReadImage(i, actual);
            Assert.Equal(expected, actual);
            Assert.Equal(file.ClassName, back.ClassNames![back.ReadLabel(i)]);
        }
    }

    [Fact]
    public void UnnamedClassesAreNumberedAndUnlabelledSourcesAreFlat()
    {
        using var dir = new TempFolder();
        var files = ImageFolderWriter.WritePng(new SyntheticSource(4, 3, 2, labelModulo: 2), dir.File("labelled"));
        Assert.Equal(["0", "1", "0", "1"], files.Select(f => f.ClassName));
        Assert.True(File.Exists(dir.File(Path.Combine("labelled", "1", "00003.png"))));

        var flat = ImageFolderWriter.WritePng(new ListSource(2, labels: null, names: null), dir.File("flat"));
        Assert.All(flat, f => Assert.Null(f.ClassName));
        Assert.Equal(dir.File(Path.Combine("flat", "00001.png")), flat[1].Path);
    }

    [Fact]
    public void ClassesThatWouldShareAFolderAreRefused()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<ArgumentException>(() =>
            ImageFolderWriter.WritePng(new ListSource(2, labels: [0, 1], names: ["a/b", "a\\b"]), dir.Path));
        Assert.Contains("'a-b'", e.Message);
        Assert.Throws<InvalidDataException>(() => ImageFolderWriter.WritePng(new ListSource(1, labels: [2], names: ["x", "y"]), dir.File("out")));
    }

    private sealed class ListSource(int count, int[]? labels, IReadOnlyList<string>? names) : IImageSource
    {
        public long Count => count;
        public int Width => 2;
        public int Height => 2;
        public int Channels => 3;
        public bool HasLabels => labels is not null;
        public IReadOnlyList<string>? ClassNames => names;
        public void ReadImage(long index, Span<byte> destination) => destination.Fill((byte)(index * 40));
        public int ReadLabel(long index) => labels![index];
    }
}
