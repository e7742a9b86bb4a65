using PixMix.Imaging.Mixing;
using PixMix.TestSupport;
using PixMix.Imaging.Core;
using PixMix.Imaging.Sources;

namespace PixMix.Imaging.Tests.Sources;

/// <summary>
/// Pictures cut short (a header and part of the data) in every accepted format: never decoded into a partly blank
/// image, but reported by path, or skipped and counted when asked.
/// </summary>
public class DamagedPictureTests
{
    public static TheoryData<string> Formats() => [.. PictureFiles.Formats];

    [Theory]
    [MemberData(nameof(Formats))]
    public void WholePicturesOfEveryFormatDecode(string format)
    {
        using var dir = new TempFolder();
        var path = PictureFiles.Write(dir.File("whole." + format));
        Assert.True(ImageCodec.TryValidate(path, out var reason), reason);
        var image = ImageCodec.Read(path);
        Assert.Equal((24, 24), (image.Width, image.Height));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void ATruncatedPictureIsRejectedByEveryDecoderPath(string format)
    {
        using var dir = new TempFolder();
        var path = PictureFiles.Write(dir.File("cut." + format), truncated: true);
        Assert.True(ImageCodec.TryReadInfo(path, out int w, out _), "the header survives the cut, so only a full decode can notice");
        Assert.Equal(24, w);
        Assert.False(ImageCodec.TryValidate(path, out var reason));
        Assert.Contains("truncated", reason);
        var e = Assert.Throws<InvalidInputDataException>(() => ImageCodec.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Equal(path, e.Path);
        var e2 = Assert.Throws<InvalidInputDataException>(() => ImageCodec.DecodePooled(path, false, out _, out _));
        Assert.Contains(path, e2.Message);
        Assert.Contains("truncated", e2.Message);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void AMixingFolderNamesATruncatedPictureOrSkipsAndCountsIt(string format)
    {
        using var dir = new TempFolder();
        PictureFiles.Write(dir.File("good.png"));
        var cut = PictureFiles.Write(dir.File(Path.Combine("sub", "cut." + format)), truncated: true);
        var e = Assert.Throws<InvalidInputDataException>(() => MixingSet.FromFolder(dir.Path));
        Assert.Contains(cut, e.Message);
        Assert.Contains("--skip-unreadable", e.Message);
        var set = (FolderMixingSet)MixingSet.FromFolder(dir.Path, new MixingFolderOptions { SkipUnreadable = true });
        Assert.Equal(1, set.Count);
        Assert.Equal([cut], set.Skipped);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void AFolderDataSetNamesATruncatedPictureWhenReadOrSkipsAndCountsIt(string format)
    {
        using var dir = new TempFolder();
        PictureFiles.Write(dir.File(Path.Combine("a", "1.png")));
        PictureFiles.Write(dir.File(Path.Combine("b", "1.png")), seed: 2);
        var cut = PictureFiles.Write(dir.File(Path.Combine("b", "2." + format)), truncated: true);
        var strict = ImageFolderSource.Open(dir.Path, new ImageFolderOptions { Size = 8 });
        var e = Assert.Throws<InvalidInputDataException>(() => strict.ReadImage(strict.Paths.ToList().IndexOf(cut), new byte[8 * 8 * 3]));
        Assert.Contains(cut, e.Message);
        var lenient = ImageFolderSource.Open(dir.Path, new ImageFolderOptions { Size = 8, SkipUnreadable = true });
        Assert.Equal(2, lenient.Count);
        Assert.Equal(cut, Assert.Single(lenient.Skipped).Path);
    }
}

/// <summary>Pictures cut inside their header: named as truncated or damaged pictures of their format, not as "not a picture".</summary>
public class PictureHeaderCutTests
{
    [Theory]
    [InlineData("png", 20, "PNG")]
    [InlineData("jpg", 10, "JPEG")]
    [InlineData("gif", 12, "GIF")]
    [InlineData("webp", 14, "WEBP")]
    public void APictureCutInsideItsHeaderIsNamedAsDamaged(string format, int keep, string name)
    {
        using var dir = new TempFolder();
        var path = dir.Write("cut." + format, PictureFiles.Encode(format)[..keep]);
        var e = Assert.Throws<InvalidInputDataException>(() => ImageCodec.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains($"starts like a {name} picture", e.Message);
        Assert.False(ImageCodec.TryValidate(path, out var reason));
        Assert.Contains("truncated or damaged", reason);
        Assert.Contains("truncated or damaged", Assert.Throws<InvalidInputDataException>(() => ImageCodec.DecodePooled(path, true, out _, out _)).Message);
    }
}
