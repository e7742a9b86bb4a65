using PixMix.Imaging.Core;
using PixMix.Imaging.Formats;
using PixMix.Imaging.Sources;
using PixMix.TestSupport;

namespace PixMix.Imaging.Tests.Sources;

public class ImageFolderTests
{
    private static string Pil(string name) => Fixtures.Npy(Path.Combine("pil", name));

    private static byte[] PilArray(string name, out long[] shape)
    {
        using var f = NpyFile.Open(Pil(name));
        shape = [.. f.Shape];
        return f.ToArray<byte>();
    }

    /// <summary>Columns [left, left + size) of an (h, w, c) array.</summary>
    private static byte[] CropColumns(byte[] hwc, int w, int c, int left, int size)
    {
        int h = hwc.Length / (w * c);
        var result = new byte[h * size * c];
        for (int y = 0; y < h; y++) hwc.AsSpan((y * w + left) * c, size * c).CopyTo(result.AsSpan(y * size * c));
        return result;
    }

    [Theory]
    [InlineData("down", 13, 9, 7, 5)]
    [InlineData("up", 6, 4, 13, 9)]
    [InlineData("wide", 40, 5, 17, 3)]
    public void BilinearResizeMatchesPillowExactly(string name, int w, int h, int rw, int rh)
    {
        var source = Fixtures.PatternBytes(w * h * 3);
        var expected = PilArray($"{name}_rgb_{rw}x{rh}.npy", out var shape);
        Assert.Equal(new long[] { rh, rw, 3 }, shape);
        var actual = new byte[rw * rh * 3];
        Resampler.Resize(source, w, h, 3, actual, rw, rh, PillowFilter.Bilinear);
        Assert.Equal(expected, actual);
    }

    private static TempFolder Layout()
    {
        var dir = new TempFolder();
        foreach (var (cls, file) in new[] { ("cat", "down.png"), ("ant", "down.png"), ("dog", "down.png") })
        {
            Directory.CreateDirectory(dir.File(cls));
            File.Copy(Pil(file), dir.File(Path.Combine(cls, file)));
        }
        File.Copy(Pil("down.png"), dir.File(Path.Combine("dog", "b.PNG")));
        File.WriteAllText(dir.File(Path.Combine("dog", "notes.txt")), "not an image and not listed");
        File.WriteAllText(dir.File("root-file.png"), "ignored: not in a class folder");
        return dir;
    }

    [Fact]
    public void ImageNetLayoutDecodesResizesAndCropsLikeTorchvision()
    {
        using var dir = Layout();
        var source = ImageFolderSource.Open(dir.Path, new ImageFolderOptions { Size = 5 });
        Assert.Equal(new[] { "ant", "cat", "dog" }, source.ClassNames);
        Assert.Equal(4, source.Count);
        Assert.Equal(new[] { 0, 1, 2, 2 }, Enumerable.Range(0, 4).Select(i => source.ReadLabel(i)));
        Assert.EndsWith(Path.Combine("dog", "b.PNG"), source.Paths[2]);
        Assert.Equal((5, 5, 3), (source.Width, source.Height, source.Channels));
        // 13x9 -> shorter side 5 -> 7x5 (Pillow bilinear), centre crop 5 -> columns 1..5.
        var expected = CropColumns(PilArray("down_rgb_7x5.npy", out _), 7, 3, 1, 5);
        var image = new byte[75];
        source.ReadImage(3, image);
        Assert.Equal(expected, image);

        var grey = ImageFolderSource.Open(dir.Path, new ImageFolderOptions { Size = 5, Grayscale = true });
        Assert.Equal(1, grey.Channels);
        var g = new byte[25];
        grey.ReadImage(0, g);
        Assert.Equal(CropColumns(PilArray("down_grey_7x5.npy", out _), 7, 1, 1, 5), g);
    }

    [Fact]
    public void UpscalesAndDecodesPngLosslessly()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.File("x"));
        File.Copy(Pil("up.png"), dir.File(Path.Combine("x", "up.png")));
        // Same size as the file: the decoded pixels themselves.
        var same = ImageFolderSource.Open(dir.Path, new ImageFolderOptions { Size = 4 });
        var raw = new byte[48];
        ImageFolderSource.OpenUnlabelled(dir.Path, new ImageFolderOptions { Size = 4, ResizeShorterSide = 4 }).ReadImage(0, raw);
        // 6x4 -> crop 4x4 from left round((6-4)/2) = 1.
        Assert.Equal(CropColumns(Fixtures.PatternBytes(72), 6, 3, 1, 4), raw);
        Assert.False(ImageFolderSource.OpenUnlabelled(dir.Path).HasLabels);
        // 6x4 -> shorter side 9 -> 13x9, crop 9 from left round(4/2) = 2.
        var up = ImageFolderSource.Open(dir.Path, new ImageFolderOptions { Size = 9 });
        var image = new byte[243];
        up.ReadImage(0, image);
        Assert.Equal(CropColumns(PilArray("up_rgb_13x9.npy", out _), 13, 3, 2, 9), image);
        Assert.Equal(1, same.Count);
    }

    [Fact]
    public void DecodesJpegAndReplicatesGreyPngToRgb()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.File("c"));
        using (var bitmap = new SkiaSharp.SKBitmap(new SkiaSharp.SKImageInfo(16, 16, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Unpremul)))
        {
            bitmap.Erase(new SkiaSharp.SKColor(200, 40, 90));
            using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 95);
            File.WriteAllBytes(dir.File(Path.Combine("c", "flat.jpg")), data.ToArray());
        }
        var source = ImageFolderSource.Open(dir.Path, new ImageFolderOptions { Size = 8 });
        var image = new byte[8 * 8 * 3];
        source.ReadImage(0, image);
        for (int p = 0; p < 64; p++)
        {
            Assert.InRange(image[p * 3], 195, 205);
            Assert.InRange(image[p * 3 + 1], 35, 45);
            Assert.InRange(image[p * 3 + 2], 85, 95);
        }

        // A grey PNG (one channel in the file) comes out as R = G = B, exactly.
        using (var grey = new SkiaSharp.SKBitmap(new SkiaSharp.SKImageInfo(8, 8, SkiaSharp.SKColorType.Gray8, SkiaSharp.SKAlphaType.Opaque)))
        {
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 8; x++)
                    grey.SetPixel(x, y, new SkiaSharp.SKColor((byte)(x * 30 + y), (byte)(x * 30 + y), (byte)(x * 30 + y)));
            using var data = grey.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(dir.File(Path.Combine("c", "grey.png")), data.ToArray());
        }
        var both = ImageFolderSource.Open(dir.Path, new ImageFolderOptions { Size = 8 });
        Assert.EndsWith("grey.png", both.Paths[1]);
        both.ReadImage(1, image);
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
                for (int c = 0; c < 3; c++)
                    Assert.Equal(x * 30 + y, image[(y * 8 + x) * 3 + c]);
    }

    [Fact]
    public void UnreadableFilesFailByNameOrAreSkippedAndReported()
    {
        using var dir = Layout();
        var broken = dir.Write(Path.Combine("cat", "broken.jpg"), "this is text, not a JPEG"u8.ToArray());
        var strict = ImageFolderSource.Open(dir.Path, new ImageFolderOptions { Size = 5 });
        int index = strict.Paths.ToList().IndexOf(broken);
        Assert.True(index >= 0);
        var e = Assert.Throws<InvalidInputDataException>(() => strict.ReadImage(index, new byte[75]));
        Assert.Contains(broken, e.Message);

        var lenient = ImageFolderSource.Open(dir.Path, new ImageFolderOptions { Size = 5, SkipUnreadable = true });
        Assert.Equal(strict.Count - 1, lenient.Count);
        Assert.Equal(broken, Assert.Single(lenient.Skipped).Path);
        var image = new byte[75];
        for (int i = 0; i < lenient.Count; i++) lenient.ReadImage(i, image);
    }

    [Fact]
    public void ImageNetCLayoutSharesOneClassList()
    {
        using var dir = new TempFolder();
        foreach (var (corruption, severity, cls) in new[] { ("fog", 1, "b"), ("fog", 1, "a"), ("fog", 3, "b"), ("gaussian_noise", 2, "a"), ("gaussian_noise", 2, "b") })
        {
            var folder = dir.File(Path.Combine(corruption, severity.ToString(), cls));
            Directory.CreateDirectory(folder);
            File.Copy(Pil("down.png"), Path.Combine(folder, "img.png"));
        }
        var set = ImageNetCorruptedSet.Open(dir.Path, new ImageFolderOptions { Size = 5 });
        Assert.Equal(new[] { "gaussian_noise", "fog" }, set.Corruptions);
        Assert.Equal(new[] { 1, 3 }, set.Severities("fog"));
        Assert.Equal(new[] { "a", "b" }, set.ClassNames);
        var fog3 = set.Get("fog", 3);
        Assert.Equal(1, fog3.Count);
        Assert.Equal(1, fog3.ReadLabel(0));
        Assert.Contains("no severity 2", Assert.Throws<ArgumentException>(() => set.Get("fog", 2)).Message);
    }

    [Fact]
    public void OptionsAreValidated()
    {
        using var dir = Layout();
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFolderSource.Open(dir.Path, new ImageFolderOptions { Size = 8, ResizeShorterSide = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFolderSource.Open(dir.Path, new ImageFolderOptions { Size = 0 }));
        Assert.Contains("not one of the 2 given class names", Assert.Throws<InvalidDataException>(() =>
            ImageFolderSource.Open(dir.Path, new ImageFolderOptions { Size = 5, ClassNames = ["ant", "cat"] })).Message);
        Assert.Throws<DirectoryNotFoundException>(() => ImageFolderSource.Open(dir.File("missing")));
    }

    [Fact]
    public void ConcurrentReadsAgree()
    {
        using var dir = Layout();
        var source = ImageFolderSource.Open(dir.Path, new ImageFolderOptions { Size = 5 });
        var reference = new byte[75];
        source.ReadImage(0, reference);
        int errors = 0;
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var image = new byte[75];
            source.ReadImage(i % source.Count, image);
            if (!image.AsSpan().SequenceEqual(reference)) Interlocked.Increment(ref errors);
        });
        Assert.Equal(0, errors);
    }
}
