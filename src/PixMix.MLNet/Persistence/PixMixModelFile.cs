using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace PixMix.MLNet.Persistence;

/// <summary>
/// Reads and writes PixMix model files: one zip holding a whole fitted pipeline. Layout:
/// <c>manifest.json</c> (<see cref="ModelManifest"/>), <c>input-schema.zip</c> (the input schema, saved by ML.NET with
/// an empty model), and per part either <c>parts/NNN-mlnet/model.zip</c> (a run of ML.NET's own transformers saved by
/// <c>mlContext.Model.Save</c> with that run's input schema) or the folder <c>parts/NNN-kind/</c> written by the part's
/// <see cref="IPixMixModelPart.SavePart"/>.
/// </summary>
internal static class PixMixModelFile
{
    private const string InputSchemaEntry = "input-schema.zip";

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
        var temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var archive = new ZipArchive(file, ZipArchiveMode.Create))
            {
                var manifest = new ModelManifest
                {
                    Writer = $"PixMix.MLNet {typeof(PixMixModelFile).Assembly.GetName().Version}",
                    InputSchema = InputSchemaEntry,
                    TrainingData = trainingData,
                };
                WriteMLNetModel(archive, InputSchemaEntry, catalog, new TransformerChain<ITransformer>(), inputSchema, "the input schema");

                var schema = inputSchema;
                int i = 0;
                while (i < transformers.Count)
                {
                    int partIndex = manifest.Parts.Count;
                    if (transformers[i] is IPixMixModelPart part)
                    {
                        string folder = $"parts/{partIndex:D3}-{SafeName(part.PartKind)}/";
                        part.SavePart(new ZipModelPartWriter(archive, folder));
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
                    WriteMLNetModel(archive, entry, catalog, run, runSchema, $"transformers {start}..{i - 1} ({string.Join(", ", transformers.Skip(start).Take(i - start).Select(t => t.GetType().Name))})");
                    manifest.Parts.Add(new ModelManifestPart { Type = ModelManifestPart.MLNetType, Entry = entry, Transformers = i - start });
                }

                using var manifestStream = archive.CreateEntry(ModelManifest.EntryName, CompressionLevel.Fastest).Open();
                JsonSerializer.Serialize(manifestStream, manifest, ModelManifest.JsonOptions);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    public static ITransformer Load(ModelOperationsCatalog catalog, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"Model file '{fullPath}' does not exist.", fullPath);

        using var file = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        ZipArchive archive;
        try { archive = new ZipArchive(file, ZipArchiveMode.Read); }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"'{fullPath}' is not a PixMix model file: it is not a zip archive ({ex.Message}).", ex);
        }
        try { _ = archive.Entries.Count; }   // reads the central directory now, so a truncated file fails here
        catch (InvalidDataException ex)
        {
            archive.Dispose();
            throw new InvalidDataException($"Model file '{fullPath}' is damaged: its zip directory cannot be read ({ex.Message}).", ex);
        }
        using (archive)
        {
            var manifest = ReadManifest(archive, fullPath);
            ReadMLNetModel(archive, manifest.InputSchema, catalog, fullPath, out inputSchema);
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
                        var model = ReadMLNetModel(archive, part.Entry ?? throw Corrupt(fullPath, $"part {p} ('mlnet') has no entry"), catalog, fullPath, out _);
                        var (ts, ss) = Flatten(model);
                        transformers.AddRange(ts); scopes.AddRange(ss);
                        break;
                    }
                    case ModelManifestPart.PixMixType:
                    {
                        string kind = part.Kind ?? throw Corrupt(fullPath, $"part {p} has no kind");
                        int version = part.Version ?? throw Corrupt(fullPath, $"part {p} ('{kind}') has no version");
                        string folder = part.Folder ?? throw Corrupt(fullPath, $"part {p} ('{kind}') has no folder");
                        if (!ModelPartRegistry.TryGet(kind, out var loader, out int maxVersion))
                            throw new InvalidDataException($"Model file '{fullPath}': part {p} has kind '{kind}', which this version of PixMix.MLNet cannot load (no loader is registered for it).");
                        if (version > maxVersion)
                            throw new InvalidDataException($"Model file '{fullPath}': part {p} ('{kind}') was written in version {version}; this version of PixMix.MLNet reads versions up to {maxVersion}. Update PixMix.MLNet to load it.");
                        if (version < 1) throw Corrupt(fullPath, $"part {p} ('{kind}') has version {version}");
                        transformers.Add(loader(partContext, new ZipModelPartReader(archive, folder, fullPath), version));
                        scopes.Add(part.Scope ?? TransformerScope.Everything);
                        break;
                    }
                    default:
                        throw new InvalidDataException($"Model file '{fullPath}': part {p} has type '{part.Type}'; expected '{ModelManifestPart.MLNetType}' or '{ModelManifestPart.PixMixType}'.");
                }
            }
            return new TransformerChain<ITransformer>(transformers, scopes);
        }
    }

    /// <summary>The manifest of the model file at <paramref name="path"/> (checked as when loading; nothing else is read).</summary>
    public static ModelManifest ReadManifest(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"Model file '{fullPath}' does not exist.", fullPath);
        try
        {
            using var archive = ZipFile.OpenRead(fullPath);
            return ReadManifest(archive, fullPath);
        }
        catch (InvalidDataException ex) when (!ex.Message.Contains(fullPath, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{fullPath}' is not a PixMix model file: it is not a readable zip archive ({ex.Message}).", ex);
        }
    }

    private static ModelManifest ReadManifest(ZipArchive archive, string path)
    {
        var entry = archive.GetEntry(ModelManifest.EntryName)
            ?? throw new InvalidDataException($"'{path}' is not a PixMix model file: it has no '{ModelManifest.EntryName}' (an ML.NET model is loaded with mlContext.Model.Load).");
        ModelManifest? manifest;
        try
        {
            using var stream = ReadEntry(entry, path);
            manifest = JsonSerializer.Deserialize<ModelManifest>(stream, ModelManifest.JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Model file '{path}': '{ModelManifest.EntryName}' is not valid JSON ({ex.Message}).", ex);
        }
        if (manifest is null) throw Corrupt(path, $"'{ModelManifest.EntryName}' is empty");
        if (manifest.Format != ModelManifest.FormatName)
            throw new InvalidDataException($"Model file '{path}' has format '{manifest.Format}'; expected '{ModelManifest.FormatName}'.");
        if (manifest.FormatVersion > ModelManifest.CurrentVersion)
            throw new InvalidDataException($"Model file '{path}' has format version {manifest.FormatVersion}; this version of PixMix.MLNet reads versions up to {ModelManifest.CurrentVersion}. Update PixMix.MLNet to load it.");
        if (manifest.FormatVersion < 1) throw Corrupt(path, $"the format version is {manifest.FormatVersion}");
        if (string.IsNullOrEmpty(manifest.InputSchema)) throw Corrupt(path, "the manifest names no input schema entry");
        if (manifest.Parts is null) throw Corrupt(path, "the manifest lists no parts");
        return manifest;
    }

    private static InvalidDataException Corrupt(string path, string what) => new($"Model file '{path}' is damaged: {what}.");

    /// <summary>Copies an entry into memory (ML.NET and TorchSharp need seekable streams); a damaged entry throws <see cref="InvalidDataException"/> naming the file.</summary>
    internal static MemoryStream ReadEntry(ZipArchiveEntry entry, string path)
    {
        var memory = new MemoryStream(entry.Length > 0 && entry.Length < int.MaxValue ? (int)entry.Length : 0);
        try
        {
            using var stream = entry.Open();
            stream.CopyTo(memory);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"Model file '{path}': entry '{entry.FullName}' is damaged ({ex.Message}).", ex);
        }
        memory.Position = 0;
        return memory;
    }

    private static void WriteMLNetModel(ZipArchive archive, string entryName, ModelOperationsCatalog catalog, ITransformer model, DataViewSchema schema, string what)
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
        var entry = archive.CreateEntry(entryName, CompressionLevel.NoCompression);
        using var stream = entry.Open();
        memory.Position = 0;
        memory.CopyTo(stream);
    }

    private static ITransformer ReadMLNetModel(ZipArchive archive, string entryName, ModelOperationsCatalog catalog, string path, out DataViewSchema schema)
    {
        var entry = archive.GetEntry(entryName) ?? throw new InvalidDataException($"Model file '{path}' is missing the entry '{entryName}'.");
        using var memory = ReadEntry(entry, path);
        try
        {
            return catalog.Load(memory, out schema);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not InvalidDataException)
        {
            throw new InvalidDataException($"Model file '{path}': ML.NET could not read entry '{entryName}' ({ex.Message}).", ex);
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
