using PixMix.TestSupport;

namespace PixMix.Cli.Tests;

/// <summary>idx data sets written by other tools (raw or gzip, EMNIST names, no checksum file) train and evaluate.</summary>
public class IdxDataCommandTests
{
    private static readonly string[] Tiny = ["--arch", "small-cnn", "--epochs", "1", "--batch-size", "8", "--threads", "1", "--seed", "3"];

    [Fact]
    public void AnEmnistSplitTrainsAndEvaluatesTransposedAndPaddedToRgb()
    {
        using var dir = new TempFolder();
        var folder = IdxFiles.WriteDataSet(dir.File("emnist"), train: 16, test: 8, classes: 5, gzip: true, prefix: "emnist-digits");
        IdxFiles.WriteDataSet(folder, train: 8, test: 8, classes: 3, gzip: true, prefix: "emnist-letters");
        string data = "idx:" + Path.Combine(folder, "emnist-digits");
        var trained = CliRunner.RunJson(["train", "--data", data, "--transpose", .. Tiny, "--output", dir.File("m.zip"), "--json"]);
        Assert.Equal(5, trained.GetProperty("classes").GetInt32());
        Assert.Equal(16, trained.GetProperty("images").GetInt64());
        Assert.Equal("emnist-digits", trained.GetProperty("data").GetString());
        var evaluated = CliRunner.RunJson("evaluate", "--model", dir.File("m.zip"), "--test", data, "--transpose", "--json");
        Assert.Equal(8, evaluated.GetProperty("examples").GetInt32());
        Assert.InRange(evaluated.GetProperty("error").GetDouble(), 0, 1);
    }

    [Fact]
    public void RawIdxFilesTrainAndEvaluateKeptGrey()
    {
        using var dir = new TempFolder();
        var folder = IdxFiles.WriteDataSet(dir.File("mnist"), train: 16, test: 8, classes: 4);
        File.WriteAllLines(Path.Combine(folder, "classes.txt"), ["w", "x", "y", "z"]);
        var trained = CliRunner.RunJson(["train", "--data", "idx:" + folder, "--grey", .. Tiny, "--output", dir.File("m.zip"), "--json"]);
        Assert.Equal(4, trained.GetProperty("classes").GetInt32());
        var evaluated = CliRunner.RunJson("evaluate", "--model", dir.File("m.zip"), "--test", "idx:" + folder, "--grey", "--json");
        Assert.Equal(8, evaluated.GetProperty("examples").GetInt32());
        // The same model on the padded RGB form of the data is a shape mismatch naming the model.
        CliRunner.AssertBadInput(["evaluate", "--model", dir.File("m.zip"), "--test", "idx:" + folder], "Image-shape mismatch", dir.File("m.zip"), "28x28");
    }

    [Fact]
    public void FashionMnistTrainsFromAUsersOwnGzipDownloadWithoutAChecksumFile()
    {
        using var dir = new TempFolder();
        var folder = IdxFiles.WriteDataSet(dir.File("fm"), train: 16, test: 8, classes: 10, gzip: true);
        var trained = CliRunner.RunJson(["train", "--data", "fashion-mnist:" + folder, .. Tiny, "--output", dir.File("m.zip"), "--json"]);
        Assert.Equal(10, trained.GetProperty("classes").GetInt32());
        Assert.Equal("fashion-mnist", trained.GetProperty("data").GetString());
    }
}
