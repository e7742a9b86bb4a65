using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.MLNet.Models;
using PixMix.MLNet.Persistence;
using PixMix.MLNet.Tests.Training;
using PixMix.MLNet.Tests.Transforms;
using PixMix.MLNet.Training;
using PixMix.MLNet.Scoring;
using PixMix.TestSupport;

namespace PixMix.MLNet.Tests.Persistence;

/// <summary>A tiny trained classifier behind an ML.NET transform, saved once as a model file and as a classifier file.</summary>
public sealed class SavedClassifierFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public SavedClassifierFixture()
    {
        TorchTestSettings.UseOneThread();
        Context = new MLContext(seed: 1);
        var rows = TrainingTestData.Synthetic(40, 2, 8, 8, 3, seed: 5);
        Data = TrainingTestData.WithKeyLabel(Context, TrainingTestData.View(Context, rows, 2, 8, 8));
        var copy = Context.Transforms.CopyColumns("FeaturesCopy", "Features").Fit(Data);
        CopyTransform = copy;
        Classifier = new ImageClassificationTrainer(Context, new ImageClassifierOptions
        {
            Architecture = ModelArchitecture.SmallCnn, Epochs = 1, BatchSize = 16, Seed = 3, DataThreads = 1, TorchThreads = 1,
        }).Fit(copy.Transform(Data));
        Model = new TransformerChain<ITransformer>(copy, Classifier);
        ModelPath = _folder.File("model.zip");
        Context.Model.SavePixMixModel(Model, Data.Schema, ModelPath);
        ClassifierPath = _folder.File("classifier.zip");
        Classifier.Save(ClassifierPath);
        Scores = Score(Model);
    }

    public MLContext Context { get; }
    public IDataView Data { get; }
    public ImageClassificationTransformer Classifier { get; }
    public ITransformer Model { get; }
    public ITransformer CopyTransform { get; }
    public string ModelPath { get; }
    public string ClassifierPath { get; }
    public List<float[]> Scores { get; }

    public List<float[]> Score(ITransformer model) => model.Transform(Data).GetColumn<float[]>("Score").ToList();

    public void Dispose()
    {
        Classifier.Dispose();
        _folder.Dispose();
    }
}

/// <summary>
/// Model files and classifier files are verified before anything is loaded: damage to any entry, added or appended
/// bytes, a zip bomb, a file of the format without hashes, or an implausible format version is refused naming the file
/// (and the entry), so a damaged model never scores; an intact file loads and scores identically.
/// </summary>
public class ModelIntegrityTests(SavedClassifierFixture fx) : IClassFixture<SavedClassifierFixture>
{
    private string Copy(TempFolder folder, byte[] bytes, string name = "model.zip")
    {
        var path = folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private InvalidDataException LoadFails(string path) =>
        Assert.Throws<InvalidDataException>(() => fx.Context.Model.LoadPixMixModel(path, out _));

    [Fact]
    public void AnIntactModelFileLoadsAndScoresIdentically()
    {
        var loaded = fx.Context.Model.LoadPixMixModel(fx.ModelPath, out var schema);
        Assert.Equal(fx.Data.Schema.Select(c => c.Name), schema.Select(c => c.Name));
        var scores = fx.Score(loaded);
        Assert.Equal(fx.Scores.Count, scores.Count);
        for (int i = 0; i < scores.Count; i++) Assert.Equal(fx.Scores[i], scores[i]);

        // The manifest records every other entry's size and SHA-256, which match the entries.
        using var zip = ZipFile.OpenRead(fx.ModelPath);
        var manifest = JsonNode.Parse(zip.GetEntry("manifest.json")!.Open())!;
        Assert.Equal(PixMixModelOperationsExtensions.ModelFormatVersion, (int)manifest["formatVersion"]!);
        var recorded = manifest["entries"]!.AsObject();
        Assert.Equal(zip.Entries.Select(e => e.FullName).Where(n => n != "manifest.json").Order(StringComparer.Ordinal),
            recorded.Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var entry in zip.Entries.Where(e => e.FullName != "manifest.json"))
        {
            using var memory = new MemoryStream();
            using (var s = entry.Open()) s.CopyTo(memory);
            Assert.Equal(memory.Length, (long)recorded[entry.FullName]!["size"]!);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(memory.ToArray())), (string)recorded[entry.FullName]!["sha256"]!);
        }
    }

    /// <summary>A byte flipped at the start, middle or end of each entry's stored data is refused naming the file and entry.</summary>
    [Fact]
    public void AByteFlippedInAnyEntryIsRefusedNamingTheEntry()
    {
        using var folder = new TempFolder();
        var original = File.ReadAllBytes(fx.ModelPath);
        var entries = ZipLayout.Entries(original);
        Assert.Equal(5, entries.Count);   // input schema, ML.NET run, classifier description and weights, manifest
        int refused = 0;
        foreach (var entry in entries)
        {
            foreach (int at in new[] { 0, entry.CompressedLength / 2, entry.CompressedLength - 1 })
            {
                var damaged = (byte[])original.Clone();
                damaged[entry.DataOffset + at] ^= 0x10;
                var path = Copy(folder, damaged);
                ITransformer? loaded = null;
                var e = Assert.Throws<InvalidDataException>((Action)(() => { loaded = fx.Context.Model.LoadPixMixModel(path, out _); throw new InvalidOperationException($"{entry.Name} at {at} of {entry.CompressedLength} loaded"); }));
                Assert.Null(loaded);
                Assert.Contains(path, e.Message);
                Assert.Contains($"'{entry.Name}'", e.Message);
                refused++;
            }
        }
        Assert.Equal(15, refused);
    }

    /// <summary>
    /// Bytes that change no entry's content (a local header's timestamp, a central directory field, the seal itself) are
    /// refused by the whole-file seal; a file without a seal is refused with the re-save message.
    /// </summary>
    [Fact]
    public void AByteChangedOutsideTheEntriesIsRefusedByTheWholeFileSeal()
    {
        using var folder = new TempFolder();
        var original = File.ReadAllBytes(fx.ModelPath);
        Assert.StartsWith("pixmix-sha256:", System.Text.Encoding.ASCII.GetString(original, original.Length - 78, 78));
        var entries = ZipLayout.Entries(original);
        int directory = entries[^1].DataOffset + entries[^1].CompressedLength;
        var places = new List<(int At, string What)>();
        foreach (var entry in entries) places.Add((entry.HeaderOffset + 10, $"the modification time of '{entry.Name}'"));
        places.Add((directory + 4, "the central directory's 'version made by'"));
        places.Add((directory + 12, "a central directory timestamp"));
        places.Add((original.Length - 1, "the seal's last digit"));
        foreach (var (at, what) in places)
        {
            var damaged = (byte[])original.Clone();
            damaged[at] ^= 0x01;
            var path = Copy(folder, damaged, "changed.zip");
            var e = LoadFails(path);
            Assert.True(e.Message.Contains(path, StringComparison.Ordinal) && e.Message.Contains("whole-file SHA-256", StringComparison.Ordinal), $"{what}: {e.Message}");
        }

        // The same file with its comment removed: the layout of a file written before seals.
        var unsealed = Copy(folder, original, "unsealed.zip");
        using (var zip = ZipFile.Open(unsealed, ZipArchiveMode.Update)) zip.Comment = "";
        var old = LoadFails(unsealed);
        Assert.Contains(unsealed, old.Message);
        Assert.Contains("carries no whole-file seal", old.Message);
        Assert.Contains("Re-save it", old.Message);
    }

    [Fact]
    public void AddedEntriesAppendedAndPrependedBytesAreRefused()
    {
        using var folder = new TempFolder();
        var original = File.ReadAllBytes(fx.ModelPath);

        var added = Copy(folder, original, "added.zip");
        using (var zip = ZipFile.Open(added, ZipArchiveMode.Update))
        using (var w = new StreamWriter(zip.CreateEntry("parts/001-PixMix.ImageClassifier/extra.bin").Open()))
            w.Write("more");
        ZipLayout.Reseal(added);
        var e = LoadFails(added);
        Assert.Contains("'parts/001-PixMix.ImageClassifier/extra.bin' is not listed in 'manifest.json'", e.Message);

        var appended = LoadFails(Copy(folder, [.. original, 1, 2, 3], "appended.zip"));
        Assert.Contains("appended.zip", appended.Message);
        Assert.Contains("bytes appended", appended.Message);

        var prepended = LoadFails(Copy(folder, [0x50, 0x4B, 0x03, 0x05, .. original], "prepended.zip"));
        Assert.Contains("prepended.zip", prepended.Message);

        var cut = LoadFails(Copy(folder, original[..^100], "cut.zip"));
        Assert.Contains("cut.zip", cut.Message);
        Assert.Contains("cut off", cut.Message);
    }

    [Fact]
    public void AModelFileWithoutHashesIsRefusedWithTheResaveMessage()
    {
        using var folder = new TempFolder();
        var path = Copy(folder, File.ReadAllBytes(fx.ModelPath));
        EditManifest(path, m => { m["formatVersion"] = 1; m.AsObject().Remove("entries"); });
        var e = LoadFails(path);
        Assert.Contains(path, e.Message);
        Assert.Contains("format version 1, which records no hashes of its entries", e.Message);
        Assert.Contains("Re-save the model", e.Message);
        Assert.Contains("Re-save the model", Assert.Throws<InvalidDataException>(() => PixMixModelFile.ReadManifest(path)).Message);

        // The current version without its hashes is damage.
        path = Copy(folder, File.ReadAllBytes(fx.ModelPath), "nohashes.zip");
        EditManifest(path, m => m.AsObject().Remove("entries"));
        Assert.Contains("records no entry hashes", LoadFails(path).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    [InlineData(1001)]
    public void ImplausibleFormatVersionsAreDamage(int version)
    {
        using var folder = new TempFolder();
        var path = Copy(folder, File.ReadAllBytes(fx.ModelPath));
        EditManifest(path, m => m["formatVersion"] = version);
        var e = LoadFails(path);
        Assert.Contains($"Model file '{path}' is damaged: the format version is {version}", e.Message);
    }

    [Fact]
    public void AHashThatDoesNotMatchIsRefused()
    {
        using var folder = new TempFolder();
        var path = Copy(folder, File.ReadAllBytes(fx.ModelPath));
        const string weights = "parts/001-PixMix.ImageClassifier/weights.bin";
        EditManifest(path, m => m["entries"]![weights]!["sha256"] = new string('0', 64));
        var e = LoadFails(path);
        Assert.Contains($"entry '{weights}' fails its SHA-256 check", e.Message);
        Assert.Contains(path, e.Message);
    }

    /// <summary>
    /// An entry replaced by 512 MB of zeros (about half a megabyte compressed): refused from the sizes alone when the
    /// manifest records the inflated size (a zip bomb by its ratio) or its original one, and, when the zip directory
    /// lies about its length too, while reading, after at most its declared size.
    /// </summary>
    [Fact]
    public void AZipBombEntryIsRefusedWithinASmallMemoryBudget()
    {
        using var folder = new TempFolder();
        const string target = "parts/001-PixMix.ImageClassifier/classifier.json";
        const long huge = 512L << 20;
        var path = folder.File("bomb.zip");
        long declared;
        using (var source = ZipFile.OpenRead(fx.ModelPath))
        using (var output = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            declared = source.GetEntry(target)!.Length;
            foreach (var entry in source.Entries.Where(e => e.FullName != target))
            {
                using var from = entry.Open();
                using var to = output.CreateEntry(entry.FullName, CompressionLevel.Fastest).Open();
                from.CopyTo(to);
            }
            using var bomb = output.CreateEntry(target, CompressionLevel.Optimal).Open();
            var zeros = new byte[1 << 20];
            for (long written = 0; written < huge; written += zeros.Length) bomb.Write(zeros);
        }
        ZipLayout.Reseal(path);
        Assert.True(new FileInfo(path).Length < 4 << 20);

        // The manifest still records the original size: the directory's length disagrees.
        var sizes = LoadFails(path);
        Assert.Contains($"entry '{target}' is {huge} bytes long in the zip directory but {declared}", sizes.Message);

        // The manifest records the inflated size: refused by its compression ratio, before inflating anything.
        var ratioPath = folder.File("ratio.zip");
        File.Copy(path, ratioPath);
        EditManifest(ratioPath, m => m["entries"]![target]!["size"] = huge);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ratio = LoadFails(ratioPath);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 20);
        Assert.Contains("a zip bomb", ratio.Message);
        Assert.Contains(target, ratio.Message);

        // The directory lies as well: reading stops one byte past the declared size.
        var bytes = File.ReadAllBytes(path);
        ZipLayout.SetDirectoryLength(bytes, target, (uint)declared);
        bytes = ZipLayout.Resealed(bytes);
        var lyingPath = Copy(folder, bytes, "lying.zip");
        before = GC.GetAllocatedBytesForCurrentThread();
        var lying = LoadFails(lyingPath);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 200 << 20, "the bomb was inflated into memory");
        Assert.Contains("lying.zip", lying.Message);
        Assert.Contains(target, lying.Message);

        // Through the reader with a counting stream: only a small part of the file is read before the refusal.
        var counting = new CountingStream(new MemoryStream(bytes));
        using (var reader = VerifiedZipReader.Open(counting, lyingPath, "Model file"))
        {
            using var index = reader.ReadIndex("manifest.json", ModelManifest.MaxSize)!;
            var manifest = System.Text.Json.JsonSerializer.Deserialize<ModelManifest>(index, ModelManifest.JsonOptions)!;
            reader.UseDigests(manifest.Entries!, "manifest.json");
            counting.BytesRead = 0;
            Assert.Throws<InvalidDataException>(() => reader.Read(target));
        }
        Assert.True(counting.BytesRead < 1 << 20, $"{counting.BytesRead} bytes were read");
    }

    [Fact]
    public void ClassifierFilesAreVerifiedToo()
    {
        using var folder = new TempFolder();
        using (var loaded = ImageClassificationTransformer.Load(fx.Context, fx.ClassifierPath))
        {
            var scores = fx.Score(new TransformerChain<ITransformer>(fx.CopyTransform, loaded));
            for (int i = 0; i < scores.Count; i++) Assert.Equal(fx.Scores[i], scores[i]);
        }
        var original = File.ReadAllBytes(fx.ClassifierPath);
        foreach (var entry in ZipLayout.Entries(original))
        {
            var damaged = (byte[])original.Clone();
            damaged[entry.DataOffset + entry.CompressedLength / 2] ^= 0x04;
            var path = Copy(folder, damaged, "classifier.zip");
            var e = Assert.Throws<InvalidDataException>(() => ImageClassificationTransformer.Load(fx.Context, path));
            Assert.Contains(path, e.Message);
            Assert.Contains($"'{entry.Name}'", e.Message);
        }

        // A classifier file of the format without hashes is refused with the re-save message.
        var old = Copy(folder, original, "old.zip");
        EditManifest(old, m => { m["formatVersion"] = 1; m.AsObject().Remove("entries"); });
        var oldError = Assert.Throws<InvalidDataException>(() => ImageClassificationTransformer.Load(fx.Context, old));
        Assert.Contains(old, oldError.Message);
        Assert.Contains("Re-save the model", oldError.Message);
    }

    [Fact]
    public void AClassifierSavedAloneIsAModelFileOfOnePart()
    {
        var manifest = PixMixModelFile.ReadManifest(fx.ClassifierPath);
        var part = Assert.Single(manifest.Parts);
        Assert.Equal(ImageClassificationTransformer.Kind, part.Kind);
        Assert.Equal(ImageClassificationTransformer.FormatVersion, part.Version);
        Assert.Equal(
            ["input-schema.zip", $"{part.Folder}classifier.json", $"{part.Folder}weights.bin"],
            manifest.Entries!.Keys.Order(StringComparer.Ordinal));

        // The container's loader reads it, with the feature column as its input schema.
        var model = fx.Context.Model.LoadPixMixModel(fx.ClassifierPath, out var schema);
        var features = Assert.Single(schema);
        Assert.Equal(fx.Classifier.FeatureColumnName, features.Name);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 2, 8, 8), features.Type);
        var scores = fx.Score(new TransformerChain<ITransformer>(fx.CopyTransform, model));
        for (int i = 0; i < scores.Count; i++) Assert.Equal(fx.Scores[i], scores[i]);
        (Assert.Single((IEnumerable<ITransformer>)model) as IDisposable)!.Dispose();

        // The classifier's entries are those SavePart writes, byte for byte.
        var written = new Dictionary<string, byte[]>();
        fx.Classifier.SavePart(new MemoryPartWriter(written));
        using var zip = ZipFile.OpenRead(fx.ClassifierPath);
        foreach (var (name, bytes) in written)
        {
            using var stream = new MemoryStream();
            using (var entry = zip.GetEntry(part.Folder + name)!.Open()) entry.CopyTo(stream);
            Assert.Equal(bytes, stream.ToArray());
        }
    }

    [Fact]
    public void LoadingAClassifierRefusesAModelFileOfMoreParts()
    {
        var e = Assert.Throws<InvalidDataException>(() => ImageClassificationTransformer.Load(fx.Context, fx.ModelPath));
        Assert.Contains(fx.ModelPath, e.Message);
        Assert.Contains("holds 2 parts (mlnet, PixMix.ImageClassifier), not an image classifier alone", e.Message);
        Assert.Contains("LoadPixMixModel", e.Message);

        // A model file of the classifier alone loads, however it was saved.
        using var folder = new TempFolder();
        var path = folder.File("alone.zip");
        fx.Context.Model.SavePixMixModel(fx.Classifier, fx.CopyTransform.Transform(fx.Data).Schema, path);
        using var loaded = ImageClassificationTransformer.Load(fx.Context, path);
        var scores = fx.Score(new TransformerChain<ITransformer>(fx.CopyTransform, loaded));
        for (int i = 0; i < scores.Count; i++) Assert.Equal(fx.Scores[i], scores[i]);
    }

    internal static void EditManifest(string path, Action<JsonNode> edit)
    {
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("manifest.json")!;
            JsonNode node;
            using (var s = entry.Open()) node = JsonNode.Parse(s)!;
            edit(node);
            entry.Delete();
            using var w = new StreamWriter(zip.CreateEntry("manifest.json").Open());
            w.Write(node.ToJsonString());
        }
        ZipLayout.Reseal(path);
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; set; }
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) { int n = inner.Read(buffer, offset, count); BytesRead += n; return n; }
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }
}
