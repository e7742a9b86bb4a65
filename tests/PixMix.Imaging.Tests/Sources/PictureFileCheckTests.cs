using PixMix.TestSupport;
using PixMix.Imaging.Core;
using PixMix.Imaging.Sources;

namespace PixMix.Imaging.Tests.Sources;

public class PictureFileCheckTests
{
    [Theory]
    [InlineData("png")]
    [InlineData("jpg")]
    [InlineData("webp")]
    public void APictureWithinTheBudgetGivesItsSize(string format)
    {
        using var t = new TempFolder();
        var path = t.Write("a." + format, PictureFiles.Encode(format, side: 24));
        Assert.Equal((24, 24), PictureFileCheck.Check(path));
    }

    [Fact]
    public void APictureOverTheBudgetIsRefusedFromItsHeader()
    {
        using var t = new TempFolder();
        var path = t.Write("a.png", PictureFiles.Encode("png", side: 24));
        var e = Assert.Throws<InvalidInputDataException>(() => PictureFileCheck.Check(path, maxPixels: 24 * 24 - 1));
        Assert.Contains("24x24", e.Message);
        Assert.Equal(path, e.Path);
    }

    [Fact]
    public void EmptyFilesFoldersAndMissingFilesAreRefused()
    {
        using var t = new TempFolder();
        var empty = t.Write("empty.png", []);
        Assert.Contains("not a regular file", Assert.Throws<InvalidInputDataException>(() => PictureFileCheck.Check(empty)).Message);
        Assert.Contains("is a folder", Assert.Throws<InvalidInputDataException>(() => PictureFileCheck.Check(t.Path)).Message);
        Assert.Contains("does not exist", Assert.Throws<InvalidInputDataException>(() => PictureFileCheck.Check(t.File("none.png"))).Message);
    }

    [Fact]
    public void DeviceNodesAreRefusedWithoutBeingRead()
    {
        if (!OperatingSystem.IsLinux()) return;
        Assert.Contains("not a regular file", Assert.Throws<InvalidInputDataException>(() => PictureFileCheck.Check("/dev/zero")).Message);
    }

    [Fact]
    public void TextIsNotAPicture()
    {
        using var t = new TempFolder();
        var path = t.Write("a.png", "not a picture"u8.ToArray());
        Assert.Contains("Cannot decode picture", Assert.Throws<InvalidInputDataException>(() => PictureFileCheck.Check(path)).Message);
    }
}
