using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.Imaging.Mixing;
using PixMix.MLNet.Models;
using PixMix.MLNet.Persistence;
using PixMix.MLNet.Tests.Transforms;
using PixMix.MLNet.Training;
using PixMix.MLNet.Transforms;
using PixMix.TestSupport;
using static TorchSharp.torch;

namespace PixMix.MLNet.Tests.Training;

/// <summary>
/// Pins a short PixMix training on the CPU bit for bit: the trained weights, the per-epoch losses and accuracies
/// (validation included), the scores and the saved model file's entries. A change that claims to keep training's
/// results must keep these digests.
/// </summary>
public sealed class TrainingFingerprintTests
{
    private const string ExpectedTraining = "1E56C6AC9E36055731623795382B0ECC4BBC7A88C48B285A3F47C9A03F828EAC";
    private const string ExpectedModelFile = "C8559F89CEA3EEC9DDD1E3AB1DA0237DBDF28538D14BB718274F80282476AE82";

    public TrainingFingerprintTests() => TorchTestSettings.UseOneThread();

    [Fact]
    public void AShortPixMixTraining_GivesThePinnedWeightsHistoryScoresAndModelFile()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 1);
        var data = FashionMnistSample.ByteVectorView(ml, 48);
        var prepared = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.PixMix(new PixMixOptions
            {
                InputColumnName = "Pixels", OutputColumnName = "Features", MixingSet = MixingSet.Fractals(8, 0), Seed = 3,
                Recipe = PixMixRecipe.Cifar with { Size = 28, MixingResize = 32 },
            }))
            .Fit(data);
        var train = prepared.Transform(data);
        var trainer = ml.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
        {
            Architecture = ModelArchitecture.SmallCnn, Epochs = 2, BatchSize = 16, Seed = 5, TorchThreads = 1, Dropout = 0.2,
            ShuffleWindow = 32, DataThreads = 2,
        });
        using var classifier = trainer.Fit(train, train);

        using var training = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, value) in classifier.Network.state_dict().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            training.AppendData(Encoding.UTF8.GetBytes(name));
            training.AppendData(value.cpu().bytes);
        }
        foreach (var epoch in classifier.TrainingSummary!.History)
            training.AppendData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{epoch.Epoch} {epoch.Loss:R} {epoch.TrainAccuracy:R} {epoch.ValidationAccuracy:R} {epoch.Images};")));
        foreach (var scores in classifier.Transform(train).GetColumn<float[]>("Score"))
            training.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(scores.AsSpan()));
        var trainingDigest = Convert.ToHexString(training.GetHashAndReset());

        var path = Path.Combine(folder.Path, "model.zip");
        ml.Model.SavePixMixModel(prepared.Append(classifier), data.Schema, path);
        using var file = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var zip = ZipFile.OpenRead(path))
            AppendEntries(file, zip);
        var fileDigest = Convert.ToHexString(file.GetHashAndReset());

        Assert.Equal(2, classifier.TrainingSummary.History.Count);
        Assert.Equal(ExpectedTraining, trainingDigest);
        Assert.Equal(ExpectedModelFile, fileDigest);
    }

    // Each entry's name and content; a nested zip by its entries (zip headers carry times), JSON without the fields that
    // measure time or name the machine, and the manifest without its digests of the nested zips.
    private static void AppendEntries(IncrementalHash hash, ZipArchive zip)
    {
        foreach (var entry in zip.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(entry.FullName));
            using var content = entry.Open();
            using var copy = new MemoryStream();
            content.CopyTo(copy);
            copy.Position = 0;
            if (entry.FullName.EndsWith(".zip", StringComparison.Ordinal))
            {
                using var nested = new ZipArchive(copy, ZipArchiveMode.Read);
                AppendEntries(hash, nested);
            }
            else if (entry.FullName.EndsWith(".json", StringComparison.Ordinal))
            {
                var json = JsonNode.Parse(copy.ToArray())!;
                WithoutTimesAndMachine(json);
                if (entry.FullName == ModelManifest.EntryName) json.AsObject().Remove("entries");
                hash.AppendData(Encoding.UTF8.GetBytes(json.ToJsonString()));
            }
            else hash.AppendData(copy.ToArray());
        }
    }

    private static void WithoutTimesAndMachine(JsonNode? node)
    {
        if (node is JsonArray array) foreach (var item in array) WithoutTimesAndMachine(item);
        if (node is not JsonObject obj) return;
        foreach (var name in obj.Select(p => p.Key).ToList())
            if (name.EndsWith("Seconds", StringComparison.Ordinal) || name.EndsWith("Fraction", StringComparison.Ordinal)
                || name is "ImagesPerSecond" or "DeviceName")
                obj.Remove(name);
            else WithoutTimesAndMachine(obj[name]);
    }
}
