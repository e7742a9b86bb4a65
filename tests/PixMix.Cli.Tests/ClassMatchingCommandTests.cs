using PixMix.TestSupport;
using PixMix.Imaging.Sources;

namespace PixMix.Cli.Tests;

/// <summary>
/// The wrong-number regressions: a model evaluated on its own data under other class orders or other class names. The
/// same images must give the same error whatever order the test set lists its classes in, and other names are refused.
/// </summary>
public sealed class PermutedIdxFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    /// <summary>Fashion-MNIST's classes in another order: the labels of the copy are permuted to match.</summary>
    public static readonly int[] Order = [3, 7, 0, 9, 1, 5, 8, 2, 6, 4];

    public PermutedIdxFixture()
    {
        IdxFolder = _folder.File("idx");
        Directory.CreateDirectory(IdxFolder);
        Write("train", FashionMnist.Open(train: true), 600);
        Write("t10k", FashionMnist.Open(train: false), TestCount);
        File.WriteAllLines(Path.Combine(IdxFolder, "classes.txt"), Order.Select(i => FashionMnist.ClassNames[i]));
        ModelPath = _folder.File("model.zip");
        CliRunner.RunJson("train", "--data", "idx:" + IdxFolder, "--arch", "small-cnn", "--epochs", "2", "--batch-size", "50",
            "--threads", "1", "--seed", "1", "--no-pixmix", "--output", ModelPath, "--json");
    }

    public const int TestCount = 200;
    public string IdxFolder { get; }
    public string ModelPath { get; }
    public string Folder => _folder.Path;

    // The copy's label of an image is the position of its Fashion-MNIST class in Order.
    private void Write(string split, IImageSource source, int count)
    {
        var images = new byte[count * 28 * 28];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            source.ReadImage(i, images.AsSpan(i * 784, 784));
            labels[i] = (byte)Array.IndexOf(Order, source.ReadLabel(i));
        }
        File.WriteAllBytes(Path.Combine(IdxFolder, $"{split}-images-idx3-ubyte"), IdxFiles.Encode([count, 28, 28], images));
        File.WriteAllBytes(Path.Combine(IdxFolder, $"{split}-labels-idx1-ubyte"), IdxFiles.Encode([count], labels));
        (source as IDisposable)?.Dispose();
    }

    public void Dispose() => _folder.Dispose();
}

public class ClassMatchingCommandTests(PermutedIdxFixture fx) : IClassFixture<PermutedIdxFixture>
{
    [Fact]
    public void APermutedTestSetScoresTheSameAsTheModelsOwnOrder()
    {
        var own = CliRunner.RunJson("evaluate", "--model", fx.ModelPath, "--test", "idx:" + fx.IdxFolder, "--limit", "200", "--json");
        var shipped = CliRunner.RunJson("evaluate", "--model", fx.ModelPath, "--test", "fashion-mnist", "--limit", "200", "--json");
        double error = own.GetProperty("error").GetDouble();
        Assert.InRange(error, 0.05, 0.6); // the model learned: chance is 90% error
        Assert.Equal(error, shipped.GetProperty("error").GetDouble(), 12);
        Assert.Equal("byName", own.GetProperty("classMatching").GetString());
        Assert.Equal("remappedByName", shipped.GetProperty("classMatching").GetString());
        Assert.Contains("remapped", shipped.GetProperty("classMatchingNote").GetString());
    }

    [Fact]
    public void APermutedTestSetGivesTheSameCorruptionErrors()
    {
        string[] common = ["--generate-corruptions", "--corruptions", "gaussian_noise", "--severities", "3", "--limit", "100", "--json"];
        var own = CliRunner.RunJson(["evaluate", "--model", fx.ModelPath, "--test", "idx:" + fx.IdxFolder, .. common]);
        var shipped = CliRunner.RunJson(["evaluate", "--model", fx.ModelPath, "--test", "fashion-mnist", .. common]);
        Assert.Equal(own.GetProperty("corruptionError").GetDouble(), shipped.GetProperty("corruptionError").GetDouble(), 12);
    }

    [Fact]
    public void OtherClassNamesAreRefusedListingThem()
    {
        string other = Path.Combine(fx.Folder, "renamed");
        Directory.CreateDirectory(other);
        foreach (var f in Directory.GetFiles(fx.IdxFolder, "t10k-*")) File.Copy(f, Path.Combine(other, Path.GetFileName(f)), overwrite: true);
        foreach (var f in Directory.GetFiles(fx.IdxFolder, "train-*")) File.Copy(f, Path.Combine(other, Path.GetFileName(f)), overwrite: true);
        var names = PermutedIdxFixture.Order.Select(i => FashionMnist.ClassNames[i]).ToArray();
        names[Array.IndexOf(names, "Sneaker")] = "Trainer";
        File.WriteAllLines(Path.Combine(other, "classes.txt"), names);
        CliRunner.AssertBadInput(["evaluate", "--model", fx.ModelPath, "--test", "idx:" + other], "Class mismatch", "'Trainer'", "'Sneaker'", fx.ModelPath);
    }

    [Fact]
    public void AFolderModelOnFashionMnistIsMatchedByNameNotByPosition()
    {
        // folder: classes are the sorted folder names; Fashion-MNIST's own order differs, and one name ("T-shirt/top")
        // cannot be a folder name. Scoring by position gave a wrong error without a warning; by name it is refused,
        // listing the one name that differs on each side.
        using var d = new TempFolder();
        ImageFolderWriter.WritePng(FashionMnist.Open(train: true), Path.Combine(d.Path, "pictures", "train"), 200);
        ImageFolderWriter.WritePng(FashionMnist.Open(train: false), Path.Combine(d.Path, "pictures", "test"), 60);
        string model = d.File("folder-model.zip");
        CliRunner.RunJson("train", "--data", "folder:" + d.File("pictures"), "--size", "32", "--arch", "small-cnn", "--epochs", "1", "--batch-size", "50",
            "--threads", "1", "--no-pixmix", "--output", model, "--json");
        string copy = d.File("fashion");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(FashionMnist.Locate())) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        var line = CliRunner.AssertBadInput(["evaluate", "--model", model, "--test", "fashion-mnist:" + copy, "--limit", "60"], "Class mismatch", "'T-shirt/top'", "'T-shirt-top'", model);
        Assert.DoesNotContain("'Trouser'", line); // only the differing names are listed
    }
}
