using PixMix.Imaging.Perturbations;
using PixMix.Imaging.Formats;
using PixMix.Imaging.Sources;
using PixMix.TestSupport;

namespace PixMix.Cli.Tests;

/// <summary>pixmix perturb and bench perturb.</summary>
public class PerturbCommandTests
{
    [Fact]
    public void Perturb_WritesACifarPLayoutMatchingTheOnTheFlySequences()
    {
        using var dir = new TempFolder();
        var json = CliRunner.RunJson("perturb", "--limit", "6", "--perturbations", "rotate,gaussian_noise", "--levels", "1-3", "--seed", "3", "--output", dir.Path, "--json");
        Assert.Equal(6, json.GetProperty("sequences").GetInt64());
        Assert.Equal(["labels.npy", "rotate.npy", "gaussian_noise.npy", "gaussian_noise_2.npy", "gaussian_noise_3.npy"],
            json.GetProperty("files").EnumerateArray().Select(e => e.GetString()));
        var clean = FashionMnist.OpenAs32x32Rgb(train: false);
        using (var labels = NpyFile.Open(dir.File("labels.npy")))
            Assert.Equal(Enumerable.Range(0, 6).Select(i => clean.ReadLabel(i)), labels.ReadLabels());
        foreach (var name in new[] { "rotate", "gaussian_noise", "gaussian_noise_2", "gaussian_noise_3" })
        {
            using var file = PerturbationSequences.Open(dir.File(name + ".npy"));
            Assert.Equal((6L, 31, 32, 32, 3), (file.Count, file.FrameCount, file.Height, file.Width, file.Channels));
            Assert.True(PerturbationNames.TryParseFileName(name, out var kind, out int level));
            using var onTheFly = new PerturbedSequenceSource(new ImageSourceSlice(clean, 0, 6), new PerturbationSpec(kind, level), 3);
            var a = new byte[file.FrameLength]; var b = new byte[file.FrameLength];
            for (long i = 0; i < onTheFly.Count; i += 7)
            {
                file.ReadFrame(i / 31, (int)(i % 31), a);
                onTheFly.ReadImage(i, b);
                Assert.Equal(b, a);
            }
        }
        // noise frame 0 is the clean image
        using var noise = PerturbationSequences.Open(dir.File("gaussian_noise_3.npy"));
        var frame = new byte[noise.FrameLength]; var image = new byte[noise.FrameLength];
        noise.ReadFrame(4, 0, frame);
        clean.ReadImage(4, image);
        Assert.Equal(image, frame);
    }

    [Fact]
    public void Perturb_GreyDataGiveGreyFrames()
    {
        using var dir = new TempFolder();
        CliRunner.RunJson("perturb", "--limit", "3", "--perturbations", "translate", "--grey", "--output", dir.Path, "--json");
        using var file = PerturbationSequences.Open(dir.File("translate.npy"));
        Assert.Equal((3L, 16, 28, 28, 1), (file.Count, file.FrameCount, file.Height, file.Width, file.Channels));
    }

    [Theory]
    [InlineData(new[] { "perturb", "--data", "fashion-mnist" }, "--output")]
    [InlineData(new[] { "perturb", "--output", "OUT", "--perturbations", "fog" }, "--perturbations", "'fog'")]
    [InlineData(new[] { "perturb", "--output", "OUT", "--perturbations", "rotate,rotate" }, "--perturbations", "twice")]
    [InlineData(new[] { "perturb", "--output", "OUT", "--levels", "4" }, "--levels", "1..3")]
    [InlineData(new[] { "perturb", "--output", "OUT", "--perturbations", "rotate", "--levels", "2" }, "--levels", "noises only")]
    [InlineData(new[] { "perturb", "--output", "OUT", "--limit", "0" }, "--limit")]
    [InlineData(new[] { "perturb", "--output", "OUT", "--data", "mnist" }, "--data", "'mnist'")]
    public void Perturb_RejectsBadInputNamingTheOption(string[] args, params string[] fragments)
    {
        using var dir = new TempFolder();
        CliRunner.AssertBadInput(args.Select(a => a == "OUT" ? dir.Path : a).ToArray(), fragments);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void BenchPerturb_ReportsSequencesPerSecondPerPerturbation()
    {
        var json = CliRunner.RunJson("bench", "perturb", "--perturbations", "translate,shot_noise", "--seconds", "0.05", "--json");
        var entries = json.EnumerateArray().ToList();
        Assert.Equal(["translate", "shot_noise"], entries.Select(e => e.GetProperty("perturbation").GetString()));
        Assert.Equal([16, 31], entries.Select(e => e.GetProperty("frames").GetInt32()));
        Assert.All(entries, e => Assert.True(e.GetProperty("sequencesPerSecond").GetDouble() > 0));
    }
}
