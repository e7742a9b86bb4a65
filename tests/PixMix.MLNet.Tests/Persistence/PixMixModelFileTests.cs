using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.Imaging;
using PixMix.Imaging.Mixing;
using PixMix.MLNet.Data;
using PixMix.MLNet.Persistence;
using PixMix.MLNet.Tests.Transforms;
using PixMix.MLNet.Transforms;
using PixMix.TestSupport;

namespace PixMix.MLNet.Tests.Persistence;

public class PixMixModelFileTests
{
    private static readonly PixMixRecipe Recipe28 = PixMixRecipe.Cifar with { Size = 28, MixingResize = 32 };

    private static PixMixOptions Options(MixingSet mixingSet, long seed = 21) => new()
    {
        OutputColumnName = "Features", InputColumnName = "Pixels", Recipe = Recipe28, Seed = seed, MixingSet = mixingSet,
    };

    /// <summary>MapValueToKey, then PixMix, then CopyColumns and a nested chain: ML.NET runs on both sides of our part.</summary>
    private static (ITransformer Model, IDataView Data) FitMixedChain(MLContext ml, MixingSet mixingSet)
    {
        var data = FashionMnistSample.ByteVectorView(ml, 6);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.PixMix(Options(mixingSet)))
            .Append(ml.Transforms.CopyColumns("FeaturesCopy", "Features"));
        var inner = pipeline.Fit(data);
        var tail = ml.Transforms.Conversion.MapKeyToValue("LabelText", "Label").Fit(inner.Transform(data));
        return (new TransformerChain<ITransformer>(inner, tail), data);
    }

    [Fact]
    public void ChainOfMLNetTransformsAndPixMixRoundTripsWithEqualOutputsPlainAugmentedAndPredicted()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 1);
        var (model, data) = FitMixedChain(ml, MixingSet.Fractals(6, 2));
        var path = Path.Combine(folder.Path, "model.pixmix.zip");

        ml.Model.SavePixMixModel(model, data.Schema, path);
        var loaded = ml.Model.LoadPixMixModel(path, out var schema);

        Assert.Equal(data.Schema.Select(c => (c.Name, c.Type.ToString())), schema.Select(c => (c.Name, c.Type.ToString())));
        var chain = Assert.IsType<TransformerChain<ITransformer>>(loaded);
        Assert.Equal(4, chain.Count());                                 // the nested chain is flattened
        var pixmix = Assert.IsType<PixMixTransformer>(chain.ElementAt(1));
        Assert.Equal(21, pixmix.Seed);
        Assert.Equal(Recipe28.Size, pixmix.Recipe.Size);
        Assert.Equal(MixingSet.Fractals(6, 2).Description, pixmix.MixingSetDescription);

        var before = model.Transform(data);
        var after = loaded.Transform(data);
        Assert.Equal(ViewReader.Read(before, "Features"), ViewReader.Read(after, "Features"));
        Assert.Equal(ViewReader.Read(before, "FeaturesCopy"), ViewReader.Read(after, "Features"));
        Assert.Equal(Labels(before), Labels(after));
        Assert.Equal(FashionMnistSample.ClassNames[FashionMnistSample.Labels[4]], Labels(after)[4]);
        // Augmented passes reproduce after loading: the fractal mixing set is recreated from its description.
        Assert.Equal(ViewReader.Read(ml.Data.Augment(before, 2), "Features"), ViewReader.Read(ml.Data.Augment(after, 2), "Features"));

        var engine = ml.Model.CreatePredictionEngine<FashionMnistSample.PixelRow, PredictionRow>(loaded, inputSchemaDefinition: PixMixTransformTests.PixelDefinition());
        var input = new FashionMnistSample.PixelRow { Pixels = FashionMnistSample.Images[4], Label = FashionMnistSample.ClassNames[FashionMnistSample.Labels[4]] };
        var p1 = engine.Predict(input);
        var p2 = engine.Predict(input);
        Assert.Equal(ViewReader.Read(before, "Features")[4], p1.Features);
        Assert.Equal(p1.Features, p2.Features);
        Assert.Equal(input.Label, p1.LabelText);
    }

    [Fact]
    public void ImagePipelineLoadResizePixMixMapValueToKeyRoundTrips()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 1);
        var files = ml.Data.LoadFromEnumerable(FashionMnistSample.WritePngs(folder.Path, 4));
        var model = ml.Transforms.LoadImages("Image", folder.Path, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", 32, 32, "Image"))
            .Append(ml.Transforms.PixMix("Features", "Image", MixingSet.Fractals(4, 1)))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Fit(files);
        var path = Path.Combine(folder.Path, "images.zip");

        ml.Model.SavePixMixModel(model, files.Schema, path);
        var loaded = ml.Model.LoadPixMixModel(path, out _);

        Assert.Equal(ViewReader.Read(model.Transform(files), "Features"), ViewReader.Read(loaded.Transform(files), "Features"));
        Assert.Equal(new[] { "mlnet", "pixmix", "mlnet" }, ManifestParts(path).Select(p => (string)p!["type"]!));
    }

    [Fact]
    public void ManifestListsThePartsInOrderAndTheFileIsWrittenWithoutLeavingTemporaryFiles()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 1);
        var (model, data) = FitMixedChain(ml, MixingSet.Fractals(6, 2));
        var path = Path.Combine(folder.Path, "m.zip");
        ml.Model.SavePixMixModel(model, data.Schema, path);
        ml.Model.SavePixMixModel(model, data.Schema, path);          // overwriting is allowed

        var parts = ManifestParts(path);
        Assert.Equal(new[] { "mlnet", "pixmix", "mlnet" }, parts.Select(p => (string)p!["type"]!));
        Assert.Equal(PixMixTransformer.Kind, (string)parts[1]!["kind"]!);
        Assert.Equal(2, (int)parts[2]!["transformers"]!);                // CopyColumns and MapKeyToValue in one ML.NET run
        Assert.Equal(new[] { "m.zip" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName));
        using var zip = ZipFile.OpenRead(path);
        var json = JsonNode.Parse(zip.GetEntry((string)parts[1]!["folder"]! + "pixmix.json")!.Open())!;
        Assert.Equal(21, (long)json["seed"]!);
        Assert.Equal("Fractals", (string)json["mixingSet"]!["kind"]!);
    }

    [Fact]
    public void NewerFormatVersionIsRefusedNamingTheFileAndVersions()
    {
        var (path, folder) = SavedModel();
        using (folder)
        {
            EditManifest(path, m => m["formatVersion"] = 99);
            var ex = Assert.Throws<InvalidDataException>(() => new MLContext().Model.LoadPixMixModel(path, out _));
            Assert.Contains(path, ex.Message);
            Assert.Contains("format version 99", ex.Message);
            Assert.Contains($"reads version {PixMixModelOperationsExtensions.ModelFormatVersion}", ex.Message);
            Assert.Contains("Update PixMix.MLNet", ex.Message);
        }
    }

    [Fact]
    public void UnknownPartKindAndNewerPartVersionAreRefused()
    {
        var (path, folder) = SavedModel();
        using (folder)
        {
            var original = File.ReadAllBytes(path);
            EditManifest(path, m => m["parts"]![1]!["kind"] = "Someone.Else.Part");
            var unknown = Assert.Throws<InvalidDataException>(() => new MLContext().Model.LoadPixMixModel(path, out _));
            Assert.Contains("part 1 has kind 'Someone.Else.Part'", unknown.Message);
            Assert.Contains(path, unknown.Message);

            File.WriteAllBytes(path, original);
            EditManifest(path, m => m["parts"]![1]!["version"] = 7);
            var newer = Assert.Throws<InvalidDataException>(() => new MLContext().Model.LoadPixMixModel(path, out _));
            Assert.Contains($"part 1 ('{PixMixTransformer.Kind}') was written in version 7", newer.Message);
            Assert.Contains("reads versions up to 1", newer.Message);
        }
    }

    [Fact]
    public void NonZipNoManifestAndMissingEntryGiveInvalidDataNamingTheFile()
    {
        using var folder = new TempFolder();
        var ml = new MLContext();
        var text = Path.Combine(folder.Path, "notes.txt");
        File.WriteAllText(text, "not a model");
        var notZip = Assert.Throws<InvalidDataException>(() => ml.Model.LoadPixMixModel(text, out _));
        Assert.Contains($"'{text}' is not a model file: it is not a zip archive", notZip.Message);

        var bare = Path.Combine(folder.Path, "bare.zip");
        using (var zip = ZipFile.Open(bare, ZipArchiveMode.Create)) zip.CreateEntry("readme.txt");
        var noManifest = Assert.Throws<InvalidDataException>(() => ml.Model.LoadPixMixModel(bare, out _));
        Assert.Contains($"'{bare}' is not a PixMix model file: it has no 'manifest.json'", noManifest.Message);

        var (path, modelFolder) = SavedModel();
        using (modelFolder)
        {
            string entry;
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                var e = zip.Entries.Single(x => x.FullName.EndsWith("pixmix.json", StringComparison.Ordinal));
                entry = e.FullName;
                e.Delete();
            }
            ZipLayout.Reseal(path);
            var missing = Assert.Throws<InvalidDataException>(() => ml.Model.LoadPixMixModel(path, out _));
            Assert.Contains($"Model file '{path}' is damaged: entry '{entry}', listed in 'manifest.json', is missing", missing.Message);

            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());
            var truncated = Assert.Throws<InvalidDataException>(() => ml.Model.LoadPixMixModel(path, out _));
            Assert.Contains(path, truncated.Message);
        }
        Assert.Throws<FileNotFoundException>(() => ml.Model.LoadPixMixModel(Path.Combine(folder.Path, "absent.zip"), out _));
    }

    [Fact]
    public void MixingFolderDeletedAfterSavingLoadsAndPredictsButAugmentingSaysTheFolderIsMissing()
    {
        using var folder = new TempFolder();
        var mixingFolder = Directory.CreateDirectory(Path.Combine(folder.Path, "mixing")).FullName;
        for (int i = 0; i < 3; i++)
        {
            var picture = new ImageU8(40, 40, 3);
            for (int j = 0; j < picture.Length; j++) picture.Data[j] = (byte)(j * (i + 3) % 251);
            ImageCodec.WritePng(picture, Path.Combine(mixingFolder, $"mix{i}.png"));
        }
        var ml = new MLContext(seed: 1);
        var data = FashionMnistSample.ByteVectorView(ml, 3);
        var model = ml.Transforms.PixMix(Options(MixingSet.FromFolder(mixingFolder))).Fit(data);
        var augmentedBefore = ViewReader.Read(ml.Data.Augment(model.Transform(data), 0), "Features");
        var plainBefore = ViewReader.Read(model.Transform(data), "Features");
        var path = Path.Combine(folder.Path, "model.zip");
        ml.Model.SavePixMixModel(model, data.Schema, path);

        // While the folder exists, the loaded model augments exactly as before.
        var reloaded = ml.Model.LoadPixMixModel(path, out _);
        Assert.Equal(augmentedBefore, ViewReader.Read(ml.Data.Augment(reloaded.Transform(data), 0), "Features"));

        Directory.Delete(mixingFolder, recursive: true);
        var loaded = ml.Model.LoadPixMixModel(path, out _);
        var view = loaded.Transform(data);
        Assert.Equal(plainBefore, ViewReader.Read(view, "Features"));
        var engine = ml.Model.CreatePredictionEngine<FashionMnistSample.PixelRow, PredictionRow>(loaded, inputSchemaDefinition: PixMixTransformTests.PixelDefinition());
        Assert.Equal(plainBefore[1], engine.Predict(new FashionMnistSample.PixelRow { Pixels = FashionMnistSample.Images[1], Label = "x" }).Features);

        var ex = Assert.Throws<InvalidOperationException>(() => ViewReader.Read(ml.Data.Augment(view, 0), "Features"));
        Assert.Contains("PixMix cannot augment: its mixing set", ex.Message);
        Assert.Contains(mixingFolder, ex.Message);
        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public void MLNetOwnSaveOfAChainWithPixMixPointsToSavePixMixModel()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(seed: 1);
        var (model, data) = FitMixedChain(ml, MixingSet.Fractals(6, 2));
        var ex = Assert.ThrowsAny<Exception>(() => ml.Model.Save(model, data.Schema, Path.Combine(folder.Path, "plain.zip")));
        var all = string.Join(" | ", Flatten(ex).Select(e => e.Message));
        Assert.Contains("SavePixMixModel", all);
    }

    private static IEnumerable<Exception> Flatten(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException!) yield return e;
    }

    private static (string Path, TempFolder Folder) SavedModel()
    {
        var folder = new TempFolder();
        var ml = new MLContext(seed: 1);
        var (model, data) = FitMixedChain(ml, MixingSet.Fractals(6, 2));
        var path = Path.Combine(folder.Path, "model.zip");
        ml.Model.SavePixMixModel(model, data.Schema, path);
        return (path, folder);
    }

    private static JsonArray ManifestParts(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        using var stream = zip.GetEntry("manifest.json")!.Open();
        return (JsonArray)JsonNode.Parse(stream)!["parts"]!;
    }

    private static void EditManifest(string path, Action<JsonNode> edit) => ModelIntegrityTests.EditManifest(path, edit);

    private static List<string> Labels(IDataView view)
    {
        var col = view.Schema["LabelText"];
        using var cursor = view.GetRowCursor([col]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(col);
        var list = new List<string>();
        ReadOnlyMemory<char> v = default;
        while (cursor.MoveNext()) { getter(ref v); list.Add(v.ToString()); }
        return list;
    }

    public sealed class PredictionRow
    {
        public float[] Features { get; set; } = [];
        public string LabelText { get; set; } = "";
    }
}
