using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.ML;
using PixMix.MLNet.Models;
using PixMix.MLNet.Tests.Training;
using PixMix.MLNet.Training;
using PixMix.MLNet.Scoring;
using PixMix.MLNet.PyTorch;
using PixMix.TestSupport;
using static TorchSharp.torch;

namespace PixMix.MLNet.Tests.Models;

/// <summary>Network descriptions are bounded by their estimated parameters and activation memory, not by depth or width alone.</summary>
public class ModelBoundsTests
{
    public ModelBoundsTests() => TorchTestSettings.UseOneThread();

    private static long Count(nn.Module module, bool state)
    {
        long total = 0;
        if (state) foreach (var (_, t) in module.state_dict()) total += t.numel();
        else foreach (var p in module.parameters()) total += p.numel();
        return total;
    }

    [Theory]
    [InlineData(ModelArchitecture.WideResNet, 10, 1, 10, 3, 32)]
    [InlineData(ModelArchitecture.WideResNet, 16, 2, 7, 1, 28)]
    [InlineData(ModelArchitecture.SmallCnn, 0, 0, 10, 3, 28)]
    [InlineData(ModelArchitecture.ResNet18, 0, 0, 5, 3, 32)]
    [InlineData(ModelArchitecture.ResNet50, 0, 0, 3, 2, 32)]
    public void TheEstimatesCountExactlyTheParametersAndStateOfTheBuiltNetwork(ModelArchitecture architecture, int depth, int widen, int classes, int channels, int side)
    {
        var spec = new ImageModelSpec(architecture, depth, widen, 0, classes, channels, side, side);
        using var module = spec.CreateModule();
        Assert.Equal(Count(module, state: false), spec.EstimateParameters());
        Assert.Equal(Count(module, state: true), spec.EstimateStateElements());
        Assert.True(spec.EstimateActivationBytes() > 0);
    }

    [Fact]
    public void ThePapersNetworksAreWellWithinTheBounds()
    {
        var resnet50 = new ImageModelSpec(ModelArchitecture.ResNet50, 0, 0, 0, 1000, 3, 224, 224);
        Assert.Equal(25_557_032, resnet50.EstimateParameters()); // torchvision's count
        Assert.Equal(11_689_512, (resnet50 with { Architecture = ModelArchitecture.ResNet18 }).EstimateParameters());
        resnet50.Validate();
        Assert.True(resnet50.EstimateActivationBytes() < ImageModelSpec.MaxActivationBytesPerImage / 8);
        var wrn = new ImageModelSpec(ModelArchitecture.WideResNet, 40, 4, 0.3, 100, 3, 32, 32);
        wrn.Validate();
        Assert.InRange(wrn.EstimateParameters(), 8.9e6, 9.0e6);
        Assert.True(ImageModelSpec.MaxParameters > 10 * resnet50.EstimateParameters());
    }

    [Theory]
    [InlineData(ModelArchitecture.WideResNet, 1_000_000, 1, 10, 32, "parameters")]
    [InlineData(ModelArchitecture.WideResNet, 202, 32, 10, 32, "parameters")]
    [InlineData(ModelArchitecture.SmallCnn, 0, 0, 10_000_000, 32, "at most 100000 classes")]
    [InlineData(ModelArchitecture.WideResNet, 40, 4, 10, 30_000, "activations")]
    [InlineData(ModelArchitecture.WideResNet, 1_000_000_000, 2_000_000_000, 10, 32, "parameters")]
    public void HugeDescriptionsAreRefusedQuicklyWithTheEstimate(ModelArchitecture architecture, int depth, int widen, int classes, int side, string expected)
    {
        var spec = new ImageModelSpec(architecture, depth, widen, 0, classes, 3, side, side);
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => spec.Validate());
        Assert.Contains(expected, error.Message);
        Assert.True(watch.ElapsedMilliseconds < 1000);
        var fromFile = Assert.Throws<InvalidDataException>(() => spec.ValidateFrom("Model file 'm.zip'"));
        Assert.Contains("m.zip", fromFile.Message);
        Assert.Contains(spec.Describe(), fromFile.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => spec.CreateModule());
    }

    [Fact]
    public void NaNOrOutOfRangeFieldsAreRefused()
    {
        var ok = new ImageModelSpec(ModelArchitecture.SmallCnn, 0, 0, 0, 10, 3, 32, 32);
        Assert.Contains("Dropout", Assert.Throws<ArgumentOutOfRangeException>(() => (ok with { Dropout = double.NaN }).Validate()).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => (ok with { Architecture = (ModelArchitecture)42 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (ok with { Architecture = ModelArchitecture.WideResNet, Depth = 11, Widen = 1 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (ok with { Height = int.MaxValue, Width = int.MaxValue }).Validate());
    }

    private static string SavedClassifier(TempFolder scratch)
    {
        var options = new PyTorchImportOptions { Depth = 10, Widen = 1 };
        using var classifier = PyTorchImport.LoadImageClassifier(new MLContext(1), TrainingTestData.FixturePath("wrn10_1_state_dict.pth"), options);
        string path = scratch.File("classifier.zip");
        classifier.Save(path);
        return path;
    }

    private static void EditDescription(string path, Action<JsonObject> edit)
    {
        EditDescriptionEntries(path, edit);
        PixMix.MLNet.Tests.Persistence.ZipLayout.Reseal(path);
    }

    private static void EditDescriptionEntries(string path, Action<JsonObject> edit)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith("/classifier.json", StringComparison.Ordinal));
        string name = entry.FullName;
        JsonObject json;
        using (var stream = entry.Open()) json = JsonNode.Parse(stream)!.AsObject();
        edit(json);
        entry.Delete();
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
        using (var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open()) stream.Write(bytes);
        // Whoever edits the file can recompute its hashes too (they give integrity, not authenticity): the bounds of the
        // description are checked on a file whose hashes match.
        var manifestEntry = zip.GetEntry("manifest.json")!;
        JsonObject manifest;
        using (var stream = manifestEntry.Open()) manifest = JsonNode.Parse(stream)!.AsObject();
        var digest = manifest["entries"]?[name]?.AsObject() ?? throw new InvalidOperationException($"manifest.json lists no {name}");
        digest["size"] = bytes.Length;
        digest["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        manifestEntry.Delete();
        using var writer = zip.CreateEntry("manifest.json", CompressionLevel.NoCompression).Open();
        writer.Write(System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()));
    }

    [Theory]
    [InlineData("Depth", "1000000", "parameters")]
    [InlineData("Widen", "32", "parameters")]
    [InlineData("Classes", "10000000", "at most 100000 classes")]
    [InlineData("Dropout", "\"NaN\"", "Dropout")]
    [InlineData("Depth", "4294967296", "not valid")]
    [InlineData("Height", "null", "not valid")]
    public void AModelFileWithAnOutOfBoundsDescriptionIsRefusedBeforeAllocation(string field, string value, string expected)
    {
        using var scratch = new TempFolder();
        string path = SavedClassifier(scratch);
        EditDescription(path, json =>
        {
            if (field == "Widen") json["Spec"]!["Depth"] = 202;
            json["Spec"]![field] = JsonNode.Parse(value);
        });
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<InvalidDataException>(() => ImageClassificationTransformer.Load(new MLContext(1), path));
        Assert.Contains(path, error.Message);
        Assert.Contains("classifier.json", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.True(watch.ElapsedMilliseconds < 5000);
    }

    [Fact]
    public void AModelFileWithoutItsDescriptionIsRefusedNamingTheField()
    {
        using var scratch = new TempFolder();
        string path = SavedClassifier(scratch);
        EditDescription(path, json => json["Spec"] = null);
        var error = Assert.Throws<InvalidDataException>(() => ImageClassificationTransformer.Load(new MLContext(1), path));
        Assert.Contains("'Spec' is missing", error.Message);
    }
}
