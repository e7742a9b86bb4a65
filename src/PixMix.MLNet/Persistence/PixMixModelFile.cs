using System.IO.Compression;

namespace PixMix.MLNet.Persistence;

/// <summary>
/// Reads and writes PixMix model files: one zip holding a whole fitted pipeline. Layout:
/// <c>manifest.json</c> (<see cref="ModelManifest"/>), <c>input-schema.zip</c> (the input schema, saved by ML.NET with
/// an empty model), and per part either <c>parts/NNN-mlnet/model.zip</c> (a run of ML.NET's own transformers saved by
/// <c>mlContext.Model.Save</c> with that run's input schema) or the folder <c>parts/NNN-kind/</c> written by the part's
/// <see cref="IPixMixModelPart.SavePart"/>. The manifest records the size and SHA-256 of every other entry; loading reads
/// each entry through <see cref="VerifiedZipReader"/> (size caps, CRC-32, SHA-256) before a loader (ML.NET's included)
/// sees a byte of it, and refuses entries that belong to no part.
/// </summary>
internal static class PixMixModelFile
{
    private const string InputSchemaEntry = "input-schema.zip";
    private const string Kind = "Model file";
    /// <summary>Format versions above this are not versions of the format but damage.</summary>
    private const int LargestPlausibleVersion = 1000;

    public static void Save(ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string path)
        => Save(catalog, model, inputSchema, path, trainingData: null);

    /// <summary>Saves like <see cref="Save(ModelOperationsCatalog, ITransformer, DataViewSchema, string)"/>, recording how the training data was read.</summary>
    public static void Save(ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string path, ModelManifestTrainingData? trainingData)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        var (transformers, scopes) = Flatten(model);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Cannot save the model to '{fullPath}': folder '{directory}' does not exist.");
        ZipSeal.Write(fullPath, archive =>
        {
            var writer = new DigestingZipWriter(archive);
            var manifest = new ModelManifest
            {
                Writer = $"PixMix.MLNet {typeof(PixMixModelFile).Assembly.GetName().Version}",
                InputSchema = InputSchemaEntry,
                TrainingData = trainingData,
            };
            WriteMLNetModel(writer, InputSchemaEntry, catalog, new TransformerChain<ITransformer>(), inputSchema, "the input schema");

            var schema = inputSchema;
            int i = 0;
            while (i < transformers.Count)
            {
                int partIndex = manifest.Parts.Count;
                if (transformers[i] is IPixMixModelPart part)
                {
                    string folder = $"parts/{partIndex:D3}-{SafeName(part.PartKind)}/";
                    part.SavePart(new ZipModelPartWriter(writer, folder));
                    manifest.Parts.Add(new ModelManifestPart
                    {
                        Type = ModelManifestPart.PixMixType, Kind = part.PartKind, Version = part.PartVersion, Folder = folder, Scope = scopes[i],
                    });
                    schema = part.GetOutputSchema(schema);
                    i++;
                    continue;
                }
                // A run of consecutive ML.NET transformers, saved by ML.NET with the schema it receives.
                int start = i;
                var runSchema = schema;
                while (i < transformers.Count && transformers[i] is not IPixMixModelPart)
                {
                    schema = transformers[i].GetOutputSchema(schema);
                    i++;
                }
                var run = new TransformerChain<ITransformer>(transformers.Skip(start).Take(i - start), scopes.Skip(start).Take(i - start));
                string entry = $"parts/{partIndex:D3}-mlnet/model.zip";
                WriteMLNetModel(writer, entry, catalog, run, runSchema, $"transformers {start}..{i - 1} ({string.Join(", ", transformers.Skip(start).Take(i - start).Select(t => t.GetType().Name))})");
                manifest.Parts.Add(new ModelManifestPart { Type = ModelManifestPart.MLNetType, Entry = entry, Transformers = i - start });
            }

            using var manifestStream = writer.CreateIndex(ModelManifest.EntryName);
            JsonSerializer.Serialize(manifestStream, manifest with { Entries = writer.Digests }, ModelManifest.JsonOptions);
        });
    }

    public static ITransformer Load(ModelOperationsCatalog catalog, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        using var archive = OpenExisting(path);
        string fullPath = archive.Path;
        var manifest = ReadManifest(archive);
        ReadMLNetModel(archive, manifest.InputSchema, catalog, out inputSchema);
        var transformers = new List<ITransformer>();
        var scopes = new List<TransformerScope>();
        var partContext = new MLContext(seed: 0);
        for (int p = 0; p < manifest.Parts.Count; p++)
        {
            var part = manifest.Parts[p] ?? throw Corrupt(fullPath, $"part {p} of the manifest is empty");
            switch (part.Type)
            {
                case ModelManifestPart.MLNetType:
                {
                    var model = ReadMLNetModel(archive, part.Entry ?? throw Corrupt(fullPath, $"part {p} ('mlnet') has no entry"), catalog, out _);
                    var (ts, ss) = Flatten(model);
                    transformers.AddRange(ts); scopes.AddRange(ss);
                    break;
                }
                case ModelManifestPart.PixMixType:
                {
                    var (loader, version, reader) = CheckPart(archive, part, p);
                    transformers.Add(loader(partContext, reader, version));
                    scopes.Add(part.Scope ?? TransformerScope.Everything);
                    break;
                }
                default:
                    throw new InvalidDataException($"Model file '{fullPath}': part {p} has type '{part.Type}'; expected '{ModelManifestPart.MLNetType}' or '{ModelManifestPart.PixMixType}'.");
            }
        }
        archive.CheckAllRead();
        return new TransformerChain<ITransformer>(transformers, scopes);
    }

    /// <summary>
    /// Loads a model file that holds one part and nothing else, a part of kind <paramref name="kind"/> (as
    /// <see cref="SavePart"/> writes), through <paramref name="load"/> (the part's entries, the version written); the
    /// file passes the checks of <see cref="Load"/>. <paramref name="what"/> names the part in the message refusing
    /// another file, which names the file and what it holds.
    /// </summary>
    public static T LoadPart<T>(ModelOperationsCatalog catalog, string path, string kind, string what, Func<IModelPartReader, int, T> load)
        where T : IDisposable
    {
        ArgumentNullException.ThrowIfNull(catalog);
        using var archive = OpenExisting(path);
        var manifest = ReadManifest(archive);
        ReadMLNetModel(archive, manifest.InputSchema, catalog, out _);
        if (manifest.Parts is not [{ Type: ModelManifestPart.PixMixType } part] || part.Kind != kind)
            throw new InvalidDataException(
                $"Model file '{archive.Path}' holds {Describe(manifest.Parts)}, not {what} alone; load it with mlContext.Model.LoadPixMixModel.");
        var (_, version, reader) = CheckPart(archive, part, 0);
        var result = load(reader, version);
        try
        {
            archive.CheckAllRead();
        }
        catch
        {
            result.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>Saves <paramref name="part"/> alone, applied to data of <paramref name="inputSchema"/>, as a model file of one part.</summary>
    public static void SavePart(IPixMixModelPart part, DataViewSchema inputSchema, string path) =>
        Save(new MLContext(seed: 0).Model, part, inputSchema, path);

    /// <summary>The manifest of the model file at <paramref name="path"/> (checked as when loading; nothing else is read).</summary>
    public static ModelManifest ReadManifest(string path)
    {
        using var archive = OpenExisting(path);
        return ReadManifest(archive);
    }

    /// <summary>Opens the model file at <paramref name="path"/>, which must exist, for verified reading.</summary>
    private static VerifiedZipReader OpenExisting(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"Model file '{fullPath}' does not exist.", fullPath);
        return VerifiedZipReader.Open(fullPath, Kind);
    }

    /// <summary>Checks a PixMix part of the manifest (kind known, version readable) and returns its loader and entries.</summary>
    private static (ModelPartRegistry.PartLoader Loader, int Version, IModelPartReader Reader) CheckPart(VerifiedZipReader archive, ModelManifestPart part, int p)
    {
        string fullPath = archive.Path;
        string kind = part.Kind ?? throw Corrupt(fullPath, $"part {p} has no kind");
        int version = part.Version ?? throw Corrupt(fullPath, $"part {p} ('{kind}') has no version");
        string folder = part.Folder ?? throw Corrupt(fullPath, $"part {p} ('{kind}') has no folder");
        if (!ModelPartRegistry.TryGet(kind, out var loader, out int maxVersion))
            throw new InvalidDataException($"Model file '{fullPath}': part {p} has kind '{kind}', which this version of PixMix.MLNet cannot load (no loader is registered for it).");
        if (version > maxVersion)
            throw new InvalidDataException($"Model file '{fullPath}': part {p} ('{kind}') was written in version {version}; this version of PixMix.MLNet reads versions up to {maxVersion}. Update PixMix.MLNet to load it.");
        if (version < 1) throw Corrupt(fullPath, $"part {p} ('{kind}') has version {version}");
        return (loader, version, new ZipModelPartReader(archive, folder));
    }

    /// <summary>What a manifest's parts are, for messages: "2 parts (mlnet, PixMix.ImageClassifier)".</summary>
    private static string Describe(List<ModelManifestPart> parts) =>
        $"{parts.Count} part{(parts.Count == 1 ? "" : "s")} ({string.Join(", ", parts.Select(p => p?.Type == ModelManifestPart.PixMixType ? p.Kind : p?.Type))})";

    /// <summary>Reads and checks the manifest, and hands its entry digests to <paramref name="archive"/>.</summary>
    private static ModelManifest ReadManifest(VerifiedZipReader archive)
    {
        string path = archive.Path;
        ModelManifest? manifest;
        try
        {
            using var stream = archive.ReadIndex(ModelManifest.EntryName, ModelManifest.MaxSize)
                ?? throw new InvalidDataException($"'{path}' is not a PixMix model file: it has no '{ModelManifest.EntryName}' (an ML.NET model is loaded with mlContext.Model.Load).");
            manifest = JsonSerializer.Deserialize<ModelManifest>(stream, ModelManifest.JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Model file '{path}': '{ModelManifest.EntryName}' is not valid JSON ({ex.Message}).", ex);
        }
        if (manifest is null) throw Corrupt(path, $"'{ModelManifest.EntryName}' is empty");
        if (manifest.Format != ModelManifest.FormatName)
            throw new InvalidDataException($"Model file '{path}' has format '{manifest.Format}'; expected '{ModelManifest.FormatName}'.");
        if (manifest.FormatVersion < 1 || manifest.FormatVersion > LargestPlausibleVersion)
            throw Corrupt(path, $"the format version is {manifest.FormatVersion}, which no model file has");
        if (manifest.FormatVersion > ModelManifest.CurrentVersion)
            throw new InvalidDataException($"Model file '{path}' has format version {manifest.FormatVersion}; this version of PixMix.MLNet reads version {ModelManifest.CurrentVersion}. Update PixMix.MLNet to load it.");
        if (manifest.FormatVersion < ModelManifest.CurrentVersion)
            throw new InvalidDataException(
                $"Model file '{path}' has format version {manifest.FormatVersion}, which records no hashes of its entries, so its integrity cannot be checked; " +
                $"this version of PixMix.MLNet reads version {ModelManifest.CurrentVersion} only. Re-save the model (train or import it again) with this version.");
        if (manifest.Entries is null) throw Corrupt(path, $"'{ModelManifest.EntryName}' records no entry hashes");
        if (string.IsNullOrEmpty(manifest.InputSchema)) throw Corrupt(path, "the manifest names no input schema entry");
        if (manifest.Parts is null) throw Corrupt(path, "the manifest lists no parts");
        archive.UseDigests(manifest.Entries, ModelManifest.EntryName);
        return manifest;
    }

    private static InvalidDataException Corrupt(string path, string what) => new($"Model file '{path}' is damaged: {what}.");

    private static void WriteMLNetModel(DigestingZipWriter writer, string entryName, ModelOperationsCatalog catalog, ITransformer model, DataViewSchema schema, string what)
    {
        using var memory = new MemoryStream();
        try
        {
            catalog.Save(model, schema, memory);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"Cannot save {what} with ML.NET's model format ({ex.Message}). A PixMix model file holds ML.NET's own transformers and transformers that implement IPixMixModelPart.", ex);
        }
        using var stream = writer.Create(entryName);
        memory.Position = 0;
        memory.CopyTo(stream);
    }

    /// <summary>Loads a run of ML.NET transformers from an entry, after the entry passed its checks.</summary>
    private static ITransformer ReadMLNetModel(VerifiedZipReader archive, string entryName, ModelOperationsCatalog catalog, out DataViewSchema schema)
    {
        using var memory = archive.Read(entryName);
        try
        {
            return catalog.Load(memory, out schema);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not InvalidDataException)
        {
            throw new InvalidDataException($"Model file '{archive.Path}': ML.NET could not read entry '{entryName}' ({ex.Message}).", ex);
        }
    }

    /// <summary>The transformers of <paramref name="model"/> in order, nested chains flattened, with their scopes.</summary>
    internal static (List<ITransformer> Transformers, List<TransformerScope> Scopes) Flatten(ITransformer model)
    {
        var transformers = new List<ITransformer>();
        var scopes = new List<TransformerScope>();
        void Add(ITransformer t, TransformerScope scope)
        {
            if (IsChain(t, out var members, out var memberScopes))
                for (int i = 0; i < members.Count; i++) Add(members[i], scope & memberScopes[i]);
            else { transformers.Add(t); scopes.Add(scope); }
        }
        Add(model, TransformerScope.Everything);
        return (transformers, scopes);
    }

    /// <summary>
    /// Whether <paramref name="t"/> is a <see cref="TransformerChain{TLastTransformer}"/>, and its members with their
    /// scopes, recovered through the public <c>GetModelFor(scope)</c> (the chain's scope array is not public).
    /// </summary>
    private static bool IsChain(ITransformer t, out List<ITransformer> members, out List<TransformerScope> memberScopes)
    {
        members = []; memberScopes = [];
        var type = t.GetType();
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(TransformerChain<>)) return false;
        members.AddRange((IEnumerable<ITransformer>)t);
        var getModelFor = type.GetMethod(nameof(TransformerChain<ITransformer>.GetModelFor), [typeof(TransformerScope)])!;
        var inScope = new Dictionary<TransformerScope, HashSet<ITransformer>>();
        foreach (var s in new[] { TransformerScope.Training, TransformerScope.Testing, TransformerScope.Scoring })
            inScope[s] = new HashSet<ITransformer>((IEnumerable<ITransformer>)getModelFor.Invoke(t, [s])!, ReferenceEqualityComparer.Instance);
        foreach (var m in members)
        {
            var scope = TransformerScope.None;
            foreach (var (s, set) in inScope) if (set.Contains(m)) scope |= s;
            memberScopes.Add(scope);
        }
        return true;
    }

    private static string SafeName(string kind) => new(kind.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
}
