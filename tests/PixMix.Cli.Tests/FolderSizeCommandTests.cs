using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.MLNet.Persistence;
using PixMix.Cli.Workflows;
using PixMix.TestSupport;

namespace PixMix.Cli.Tests;

/// <summary>'train --data folder: --size N' records N in the model file; 'evaluate' reads folder test data at N.</summary>
public class FolderSizeCommandTests
{
    private static string Pictures(string root)
    {
        foreach (var split in new[] { "train", "test" })
            foreach (var c in new[] { "cat", "dog" })
                for (int i = 0; i < 4; i++) PictureFiles.Write(Path.Combine(root, split, c, $"{i}.png"), side: 40, seed: c[0] * 10 + i + (split == "test" ? 5 : 0));
        return root;
    }

    [Fact]
    public void TheTrainingSizeIsRecordedAndEvaluateUsesItUnlessASameSizeIsGiven()
    {
        using var folder = new TempFolder();
        string pics = Pictures(folder.File("pics")), model = folder.File("m.zip");
        CliRunner.RunJson("train", "--data", "folder:" + pics, "--size", "24", "--no-pixmix", "--arch", "small-cnn", "--epochs", "1",
            "--batch-size", "4", "--threads", "1", "--output", model, "--json");

        Assert.Equal(24, ClassifierTraining.ReadFolderImageSize(model));
        new MLContext(seed: 1).Model.LoadPixMixModel(model, out var schema);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Byte, 24, 24, 3), schema["Image"].Type);

        // Without --size the folder is read at the recorded 24 (the default 32 would not fit the model); --size 24 agrees.
        var byDefault = CliRunner.RunJson("evaluate", "--model", model, "--test", "folder:" + pics, "--json");
        Assert.Equal(8, byDefault.GetProperty("examples").GetInt32());
        var explicitSize = CliRunner.RunJson("evaluate", "--model", model, "--test", "folder:" + pics, "--size", "24", "--json");
        Assert.Equal(byDefault.GetProperty("error").GetDouble(), explicitSize.GetProperty("error").GetDouble());

        // Another explicit size is refused, naming both; so is the default size when given explicitly.
        string error = CliRunner.AssertBadInput(["evaluate", "--model", model, "--test", "folder:" + pics, "--size", "32"], "--size 32", model, "24x24", "--size 24");
        Assert.DoesNotContain("Image-shape mismatch", error);
    }

    [Fact]
    public void DataOtherThanFoldersRecordsNoSizeAndEvaluateKeepsItsDefault()
    {
        using var folder = new TempFolder();
        string model = folder.File("m.zip");
        CliRunner.RunJson("train", "--data", "fashion-mnist", "--limit", "16", "--no-pixmix", "--arch", "small-cnn", "--epochs", "1",
            "--batch-size", "8", "--threads", "1", "--output", model, "--json");
        Assert.Null(ClassifierTraining.ReadFolderImageSize(model));
        // --size is for folder data only: with other test data any value is accepted and unused.
        var json = CliRunner.RunJson("evaluate", "--model", model, "--test", "fashion-mnist", "--limit", "8", "--size", "48", "--json");
        Assert.Equal(8, json.GetProperty("examples").GetInt32());
    }
}
