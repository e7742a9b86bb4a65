using PixMix.Imaging;
using PixMix.Imaging.Mixing;

namespace PixMix.Imaging.Tests.Mixing;

public sealed class MixingSetTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pixmix-mixset-" + Guid.NewGuid().ToString("N"));

    public MixingSetTests() => Directory.CreateDirectory(_dir);
    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void FolderSetFindsPicturesInAnyNestingAndSamplerCropsThem()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "fractals", "a"));
        Directory.CreateDirectory(Path.Combine(_dir, "vis"));
        ImageCodec.WritePng(TestImages.Gradient(50, 40), Path.Combine(_dir, "fractals", "a", "one.png"));
        ImageCodec.WritePng(TestImages.Gradient(40, 60, seed: 3), Path.Combine(_dir, "vis", "two.PNG"));
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "not a picture");
        var set = (FolderMixingSet)MixingSet.FromFolder(_dir);
        Assert.Equal(2, set.Count);
        Assert.Equal(MixingSetKind.Folder, set.Description.Kind);

        var sampler = new MixingPictureSampler(set, 36, 32, 32, 3);
        var prepared = sampler.Prepared(0);
        Assert.Equal(36, Math.Min(prepared.Width, prepared.Height));
        var dst = new ImageU8(32, 32, 3);
        var rng = new PixMixRandom(1);
        sampler.Sample(ref rng, dst);
        Assert.True(dst.Span.ToArray().Distinct().Count() > 10);
    }

    [Fact]
    public void EmptyFolderIsAnError()
    {
        var ex = Assert.Throws<PixMix.Imaging.Core.InvalidInputDataException>(() => MixingSet.FromFolder(_dir));
        Assert.Contains(_dir, ex.Message);
        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void MissingFolderIsAnError()
    {
        var missing = Path.Combine(_dir, "nope");
        var ex = Assert.Throws<DirectoryNotFoundException>(() => MixingSet.FromFolder(missing));
        Assert.Contains(missing, ex.Message);
    }

    [Fact]
    public void UnreadablePictureIsReportedByPathOrSkipped()
    {
        ImageCodec.WritePng(TestImages.Gradient(40, 40), Path.Combine(_dir, "good.png"));
        var bad = Path.Combine(_dir, "broken.jpg");
        File.WriteAllBytes(bad, [1, 2, 3, 4, 5]);
        var ex = Assert.Throws<PixMix.Imaging.Core.InvalidInputDataException>(() => MixingSet.FromFolder(_dir));
        Assert.Contains(bad, ex.Message);
        var set = (FolderMixingSet)MixingSet.FromFolder(_dir, new MixingFolderOptions { SkipUnreadable = true });
        Assert.Equal(1, set.Count);
        Assert.Equal([bad], set.Skipped);
    }

    [Fact]
    public void DescriptionRecreatesTheSet()
    {
        var set = MixingSet.Fractals(7, 42);
        var again = MixingSet.FromDescription(set.Description);
        Assert.Equal(7, again.Count);
        Assert.Equal(set.LoadPicture(3, 20).Span.ToArray(), again.LoadPicture(3, 20).Span.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => MixingSet.Fractals(0));
    }
}
