using PixMix.TestSupport;
using PixMix.Imaging.Core;
using PixMix.Imaging.Sources;
using PixMix.Imaging.Tests.Formats;

namespace PixMix.Imaging.Tests.Sources;

/// <summary>idx data sets from other sources: raw or gzip, no checksum file, EMNIST names, class names, transposition.</summary>
public class IdxDataSetTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AFolderOfTheFourFilesOpensWithoutAChecksumFile(bool gzip)
    {
        using var dir = new TempFolder();
        IdxFiles.WriteDataSet(dir.Path, train: 20, test: 10, classes: 4, gzip: gzip);
        var set = IdxDataSet.Discover(dir.Path);
        Assert.Equal("", set.Prefix);
        Assert.Equal(["0", "1", "2", "3"], set.ClassNames());
        var rgb = set.Open(train: true);
        Assert.Equal((20L, 32, 32, 3), (rgb.Count, rgb.Width, rgb.Height, rgb.Channels));
        Assert.Equal(3, rgb.ReadLabel(7));
        (((PaddedRgbImageSource)rgb).Inner as IDisposable)?.Dispose();
        using var grey = (IdxImageSource)set.Open(train: false, new IdxDataSetOptions { KeepGrey = true });
        Assert.Equal((10L, 28, 28, 1), (grey.Count, grey.Width, grey.Height, grey.Channels));
    }

    [Fact]
    public void FashionMnistReadsAUsersOwnDownloadRawOrGzip()
    {
        using var dir = new TempFolder();
        IdxFiles.WriteDataSet(dir.Path, train: 12, test: 6, classes: 10);
        File.Move(dir.File("t10k-images-idx3-ubyte"), dir.File("t10k-images-idx3-ubyte.gz"));
        File.WriteAllBytes(dir.File("t10k-images-idx3-ubyte.gz"), IdxFiles.Gzip(IdxFiles.Images(6, 28, 28, i => i % 10)));
        Assert.Equal(dir.Path, FashionMnist.Locate(dir.Path));
        using var test = FashionMnist.Open(train: false, dir.Path);
        Assert.Equal(6, test.Count);
        Assert.Equal("Ankle boot", test.ClassNames![9]);
    }

    [Fact]
    public void ClassNamesComeFromClassesTxt()
    {
        using var dir = new TempFolder();
        IdxFiles.WriteDataSet(dir.Path, classes: 3);
        File.WriteAllLines(dir.File("classes.txt"), ["zero", "one", "two", ""]);
        Assert.Equal(["zero", "one", "two"], IdxDataSet.Discover(dir.Path).ClassNames());
        File.WriteAllLines(dir.File("classes.txt"), ["zero", "one"]);
        var e = Assert.Throws<InvalidDataException>(() => IdxDataSet.Discover(dir.Path).Open(train: true));
        Assert.Contains("there are 2 classes", e.Message);
        Assert.Contains("train-labels-idx1-ubyte", e.Message);
    }

    [Fact]
    public void EmnistPrefixesAreFoundAndAmbiguityIsNamed()
    {
        using var dir = new TempFolder();
        IdxFiles.WriteDataSet(dir.Path, classes: 5, gzip: true, prefix: "emnist-digits");
        IdxFiles.WriteDataSet(dir.Path, classes: 3, gzip: true, prefix: "emnist-letters");
        var e = Assert.Throws<InvalidInputDataException>(() => IdxDataSet.Discover(dir.Path));
        Assert.Contains("emnist-digits", e.Message);
        Assert.Contains("emnist-letters", e.Message);
        Assert.Contains("name one", e.Message);
        var digits = IdxDataSet.Discover(Path.Combine(dir.Path, "emnist-digits"));
        Assert.Equal("emnist-digits", digits.Prefix);
        Assert.Equal(5, digits.ClassNames().Count);
        Assert.Contains("prefix 'emnist-mnist-'", Assert.Throws<InvalidInputDataException>(() => IdxDataSet.Discover(Path.Combine(dir.Path, "emnist-mnist"))).Message);
    }

    [Fact]
    public void TransposeSwapsRowsAndColumns()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), IdxFiles.Encode([1, 2, 3], [1, 2, 3, 4, 5, 6]));
        File.WriteAllBytes(dir.File("train-labels-idx1-ubyte"), IdxFiles.Encode([1], [1]));
        var set = IdxDataSet.Discover(dir.Path);
        using var plain = (IdxImageSource)set.Open(true, new IdxDataSetOptions { KeepGrey = true });
        using var transposed = (IdxImageSource)set.Open(true, new IdxDataSetOptions { KeepGrey = true, Transpose = true });
        Assert.Equal((3, 2), (plain.Width, plain.Height));
        Assert.Equal((2, 3), (transposed.Width, transposed.Height));
        var image = new byte[6];
        transposed.ReadImage(0, image);
        Assert.Equal(new byte[] { 1, 4, 2, 5, 3, 6 }, image);
    }

    [Fact]
    public void MissingAndMismatchedFilesSayWhatWasFoundAndExpected()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<InvalidInputDataException>(() => IdxDataSet.Discover(dir.Path));
        Assert.Contains("the folder is empty", e.Message);
        Assert.Contains("t10k-labels-idx1-ubyte", e.Message);

        IdxFiles.WriteDataSet(dir.Path, train: 20, test: 10);
        File.Delete(dir.File("train-labels-idx1-ubyte"));
        var missing = Assert.Throws<FileNotFoundException>(() => IdxDataSet.Discover(dir.Path).Open(train: true));
        Assert.Contains("lacks train-labels-idx1-ubyte[.gz]", missing.Message);
        Assert.Contains("t10k-images-idx3-ubyte", missing.Message);

        File.WriteAllBytes(dir.File("train-labels-idx1-ubyte"), IdxFiles.Encode([19], new byte[19]));
        var counts = Assert.Throws<InvalidDataException>(() => IdxDataSet.Discover(dir.Path).Open(train: true));
        Assert.Contains("holds 20 images", counts.Message);
        Assert.Contains("holds 19 labels", counts.Message);
    }

    [Fact]
    public void AChecksumFileIsUsedWhenPresent()
    {
        using var dir = new TempFolder();
        IdxFiles.WriteDataSet(dir.Path, gzip: true);
        File.WriteAllText(dir.File("SHA256SUMS"), string.Join("\n", Directory.GetFiles(dir.Path).Select(f =>
            $"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}  {Path.GetFileName(f)}")));
        using (var ok = (IdxImageSource)IdxDataSet.Discover(dir.Path).Open(false, new IdxDataSetOptions { KeepGrey = true })) Assert.Equal(10, ok.Count);
        var bytes = File.ReadAllBytes(dir.File("t10k-images-idx3-ubyte.gz"));
        bytes[^5] ^= 0xFF;
        File.WriteAllBytes(dir.File("t10k-images-idx3-ubyte.gz"), bytes);
        Assert.Contains("fails its checksum", Assert.Throws<InvalidDataException>(() => IdxDataSet.Discover(dir.Path).Open(false)).Message);
    }
}
