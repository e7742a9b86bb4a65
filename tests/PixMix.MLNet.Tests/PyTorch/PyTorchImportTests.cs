using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.MLNet.Models;
using PixMix.MLNet.Training;
using PixMix.MLNet.PyTorch;

namespace PixMix.MLNet.Tests.Training;

/// <summary>
/// Imports the fixture written by Fixtures/torch/gen_torch_fixture.py (PyTorch 1.13): a WideResNet-10-1 saved like
/// the PixMix reference's checkpoints, with its eval-mode logits on four fixed inputs.
/// </summary>
public class PyTorchImportTests
{
    private readonly MLContext _context = new(seed: 1);

    public PyTorchImportTests() => TorchTestSettings.UseOneThread();

    private static float[] ReadFloats(string name) =>
        MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(TrainingTestData.FixturePath(name))).ToArray();

    private static PyTorchImportOptions Wrn10x1() => new() { Depth = 10, Widen = 1, ImageChannels = 3, ImageHeight = 32, ImageWidth = 32 };

    [Theory]
    [InlineData("wrn10_1_checkpoint.pth.tar")]
    [InlineData("wrn10_1_state_dict.pth")]
    public void ImportedNetworkReproducesPyTorchsLogits(string file)
    {
        var inputs = ReadFloats("wrn10_1_inputs.f32");
        var expected = ReadFloats("wrn10_1_logits.f32");
        Assert.Equal(4 * 3 * 32 * 32, inputs.Length);
        Assert.Equal(4 * 10, expected.Length);

        using var model = PyTorchImport.LoadImageClassifier(_context, TrainingTestData.FixturePath(file), Wrn10x1());
        Assert.Equal(10, model.ModelSpec.Classes); // taken from fc.weight
        var logits = model.PredictLogits(inputs, 4);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - logits[i]) <= 1e-4, $"logit {i}: PyTorch {expected[i]}, ours {logits[i]}");
    }

    [Fact]
    public void CheckpointMetadataAndPrefixAreRead()
    {
        using var checkpoint = PyTorchImport.ReadCheckpoint(TrainingTestData.FixturePath("wrn10_1_checkpoint.pth.tar"));
        Assert.Equal(7, checkpoint.Epoch);
        Assert.Equal(0.4321, checkpoint.BestAccuracy!.Value, 6);
        Assert.True(checkpoint.HadModulePrefix);
        Assert.True(checkpoint.HasOptimizerState);
        Assert.Contains("block2.layer.0.conv_shortcut.weight", checkpoint.StateDict.Keys);
        Assert.DoesNotContain(checkpoint.StateDict.Keys, k => k.StartsWith("module."));
        Assert.Equal(new long[] { 10, 64 }, checkpoint.StateDict["fc.weight"].shape);

        using var bare = PyTorchImport.ReadCheckpoint(TrainingTestData.FixturePath("wrn10_1_state_dict.pth"));
        Assert.Null(bare.Epoch);
        Assert.False(bare.HadModulePrefix);
        Assert.Equal(checkpoint.StateDict.Keys.Order(), bare.StateDict.Keys.Order());
    }

    [Fact]
    public void ImportedClassifierScoresThroughMLNetWithTheGivenClassNames()
    {
        var inputs = ReadFloats("wrn10_1_inputs.f32");
        var expected = ReadFloats("wrn10_1_logits.f32");
        string[] names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];
        var options = Wrn10x1();
        options.ClassNames = names;
        using var model = PyTorchImport.LoadImageClassifier(_context, TrainingTestData.FixturePath("wrn10_1_checkpoint.pth.tar"), options);
        var rows = Enumerable.Range(0, 4).Select(i => new ImageRow { Features = inputs.AsSpan(i * 3072, 3072).ToArray(), Label = names[0] });
        var scored = model.Transform(TrainingTestData.View(_context, rows, 3, 32, 32));
        var predicted = _context.Transforms.Conversion.MapKeyToValue("Name", "PredictedLabel").Fit(scored).Transform(scored)
            .GetColumn<ReadOnlyMemory<char>>("Name").Select(v => v.ToString()).ToList();
        for (int i = 0; i < 4; i++)
        {
            var row = expected.AsSpan(i * 10, 10).ToArray();
            Assert.Equal(names[Array.IndexOf(row, row.Max())], predicted[i]);
        }
    }

    [Fact]
    public void MismatchedArchitecturesFailNamingTheKeys()
    {
        var path = TrainingTestData.FixturePath("wrn10_1_checkpoint.pth.tar");
        var deeper = Wrn10x1();
        deeper.Depth = 16;
        var missing = Assert.Throws<InvalidDataException>(() => PyTorchImport.LoadImageClassifier(_context, path, deeper));
        Assert.Contains("missing keys", missing.Message);
        Assert.Contains("block1.layer.1.bn1.weight", missing.Message);
        Assert.Contains("unexpected keys: none", missing.Message);

        var fewerClasses = Wrn10x1();
        fewerClasses.ClassCount = 5;
        var shape = Assert.Throws<InvalidDataException>(() => PyTorchImport.LoadImageClassifier(_context, path, fewerClasses));
        Assert.Contains("shape mismatch for 'fc.weight'", shape.Message);
        Assert.Contains("expects [5, 64]", shape.Message);
        Assert.Contains("has [10, 64]", shape.Message);

        var resnet = Wrn10x1();
        resnet.Architecture = ModelArchitecture.ResNet18;
        var other = Assert.Throws<InvalidDataException>(() => PyTorchImport.LoadImageClassifier(_context, path, resnet));
        Assert.Contains("unexpected keys: ", other.Message);
        Assert.Contains("block1.layer.0.conv1.weight", other.Message);

        var notTorch = Path.Combine(Path.GetTempPath(), $"not-a-checkpoint-{Guid.NewGuid():N}.pth");
        File.WriteAllText(notTorch, "plain text");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => PyTorchImport.ReadCheckpoint(notTorch));
            Assert.Contains(Path.GetFileName(notTorch), error.Message);
        }
        finally
        {
            File.Delete(notTorch);
        }
    }
}
