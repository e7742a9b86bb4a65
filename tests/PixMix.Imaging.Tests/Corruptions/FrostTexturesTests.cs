using PixMix.Imaging.Corruptions;

namespace PixMix.Imaging.Tests.Corruptions;

public class FrostTexturesTests
{
    private static string RepoFrostFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "data", "frost");
            if (File.Exists(Path.Combine(candidate, "frost1.png"))) return candidate;
        }
        throw new InvalidOperationException("data/frost not found above the test output folder.");
    }

    [Fact]
    public void DefaultIsTheEmbeddedPhotographs()
    {
        var d = FrostTextures.Default;
        Assert.True(d.IsPhotographic);
        Assert.Equal("embedded", d.Source);
        Assert.Equal(5, d.Count);
        var first = d.GetPicture(0);
        Assert.Equal((900, 600), (first.Width, first.Height));
    }

    [Fact]
    public void FolderLoadsTheSamePictures()
    {
        var folder = FrostTextures.FromFolder(RepoFrostFolder());
        Assert.True(folder.IsPhotographic);
        for (int i = 0; i < 5; i++) Assert.Equal(FrostTextures.Default.GetPicture(i).Data, folder.GetPicture(i).Data);
    }

    [Fact]
    public void MissingFolderOrPictureIsNamed()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-frost-" + Guid.NewGuid().ToString("N"));
        var ex = Assert.Throws<DirectoryNotFoundException>(() => FrostTextures.FromFolder(missing));
        Assert.Contains(missing, ex.Message);
        Directory.CreateDirectory(missing);
        try
        {
            foreach (var f in FrostTextures.FileNames.Take(4)) File.Copy(Path.Combine(RepoFrostFolder(), f), Path.Combine(missing, f));
            var nf = Assert.Throws<FileNotFoundException>(() => FrostTextures.FromFolder(missing));
            Assert.EndsWith("frost5.jpg", nf.FileName);
            File.WriteAllText(Path.Combine(missing, "frost5.jpg"), "not a picture");
            var bad = Assert.Throws<InvalidDataException>(() => FrostTextures.FromFolder(missing));
            Assert.Contains("frost5.jpg", bad.Message);
        }
        finally { Directory.Delete(missing, true); }
    }

    [Fact]
    public void ProceduralFallbackLooksLikeFrost()
    {
        var p = FrostTextures.Procedural;
        Assert.False(p.IsPhotographic);
        Assert.Equal(5, p.Count);
        var pic = p.GetPicture(2);
        double mean = pic.Data.Average(v => (double)v);
        Assert.InRange(mean, 30, 160);
        Assert.True(pic.Data.Max() > 200, "no bright ice needles");
        // blue-white tint: blue is the brightest channel
        long r = 0, b = 0;
        for (int i = 0; i < pic.Length; i += 3) { r += pic.Data[i]; b += pic.Data[i + 2]; }
        Assert.True(b > r);
        Assert.NotEqual(p.GetPicture(0).Data, p.GetPicture(1).Data);
    }

    [Fact]
    public void FrostBlendsTheWindowWithTheReferenceWeights()
    {
        // ImageNet table at 224 px: the picture is used unscaled; a 225x225 picture leaves a single window.
        var picture = new ImageU8(225, 225, 3);
        for (int i = 0; i < picture.Length; i++) picture.Data[i] = (byte)(i * 7 % 251);
        var textures = FrostTextures.FromImages([picture]);
        var src = CorruptionTestImages.Textured(224, 224, 3);
        var dst = new ImageU8(224, 224, 3);
        var rng = new PixMixRandom(1);
        Corruptor.Frost(src, dst, 2, ref rng, CorruptionParameterSet.ImageNet, textures); // (0.8, 0.6)
        for (int y = 0; y < 224; y++)
            for (int x = 0; x < 224; x++)
                for (int c = 0; c < 3; c++)
                    Assert.Equal((byte)Math.Clamp(0.8 * src[x, y, c] + 0.6 * picture[x, y, c], 0, 255), dst[x, y, c]);
    }

    [Fact]
    public void FrostWithAConstantPictureAtCifarSize()
    {
        var textures = FrostTextures.FromImages([CorruptionTestImages.Constant(300, 200, 3, 150)]);
        foreach (int channels in new[] { 3, 1 })
        {
            var src = CorruptionTestImages.Textured(32, 32, channels);
            var dst = new ImageU8(32, 32, channels);
            var rng = new PixMixRandom(4);
            Corruptor.Frost(src, dst, 3, ref rng, CorruptionParameterSet.Cifar, textures); // (0.9, 0.4)
            for (int i = 0; i < src.Length; i++)
                Assert.InRange(dst.Data[i], (int)(0.9 * src.Data[i] + 0.4 * 150) - (channels == 1 ? 1 : 0), (int)(0.9 * src.Data[i] + 0.4 * 150));
        }
    }

    [Fact]
    public void PhotographicFrostAddsBrightTexture()
    {
        var src = CorruptionTestImages.Constant(32, 32, 3, 60);
        var rng = new PixMixRandom(8);
        var dst = new ImageU8(32, 32, 3);
        Corruptor.Frost(src, dst, 5, ref rng, CorruptionParameterSet.Cifar);
        // 0.75 * 60 = 45 plus 0.45 * frost: brighter on average and not flat
        Assert.True(dst.Data.Average(v => (double)v) > 50);
        Assert.True(dst.Data.Max() - dst.Data.Min() > 20);
    }
}
