using PixMix.Imaging.Sources;
using PixMix.TestSupport;

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
        var files = ImageFolderWriter.WritePng(SyntheticSource.Create(4, 3, 2, labelModulo: 2), dir.File("labelled"));
        Assert.Equal(["0", "1", "0", "1"], files.Select(f => f.ClassName));
        Assert.True(File.Exists(dir.File(Path.Combine("labelled", "1", "00003.png"))));

        var flat = ImageFolderWriter.WritePng(Squares(2, labels: null, names: null), dir.File("flat"));
        Assert.All(flat, f => Assert.Null(f.ClassName));
        Assert.Equal(dir.File(Path.Combine("flat", "00001.png")), flat[1].Path);
    }

    [Fact]
    public void ClassesThatWouldShareAFolderAreRefused()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<ArgumentException>(() =>
            ImageFolderWriter.WritePng(Squares(2, labels: [0, 1], names: ["a/b", "a\\b"]), dir.Path));
        Assert.Contains("'a-b'", e.Message);
        Assert.Throws<InvalidDataException>(() => ImageFolderWriter.WritePng(Squares(1, labels: [2], names: ["x", "y"]), dir.File("out")));
    }

    /// <summary>2x2 RGB images filled with 40 * index.</summary>
    private static ArrayImageSource Squares(int count, int[]? labels, IReadOnlyList<string>? names) =>
        new(count, 2, 2, 3, (index, _) => (byte)(index * 40), labels is null ? null : index => labels[index], names);
}
