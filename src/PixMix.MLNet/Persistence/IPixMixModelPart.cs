namespace PixMix.MLNet.Persistence;

/// <summary>Writes the named entries of one part of a PixMix model file.</summary>
public interface IModelPartWriter
{
    /// <summary>
    /// Creates the entry <paramref name="name"/> (a relative path inside the part) and returns a stream to write it.
    /// Entries are written one after the other: dispose the stream before creating the next entry.
    /// </summary>
    Stream Create(string name);
}

/// <summary>Reads the named entries of one part of a PixMix model file.</summary>
public interface IModelPartReader
{
    /// <summary>Whether the entry exists.</summary>
    bool Exists(string name);
    /// <summary>
    /// Opens the entry for reading (a seekable stream holding content that passed its size, CRC-32 and SHA-256 checks);
    /// throws <see cref="InvalidDataException"/> naming the model file and entry when it is missing or damaged.
    /// </summary>
    Stream Open(string name);
    /// <summary>The model file being read, for error messages.</summary>
    string ModelPath { get; }
}

/// <summary>
/// A transformer of this library that saves itself into a PixMix model file (ML.NET's own persistence is closed
/// to third-party transformers). A loader for its <see cref="PartKind"/> is registered with
/// <see cref="ModelPartRegistry"/>.
/// </summary>
public interface IPixMixModelPart : ITransformer
{
    /// <summary>A stable identifier of the part's type, for example "PixMix.Transformer".</summary>
    string PartKind { get; }
    /// <summary>The version of the part's format written by <see cref="SavePart"/>.</summary>
    int PartVersion { get; }
    /// <summary>Writes the part's state.</summary>
    void SavePart(IModelPartWriter writer);
}

/// <summary>Loaders of model parts by kind.</summary>
public static class ModelPartRegistry
{
    /// <summary>Loads a part of a given kind: (context, reader, version written) to transformer.</summary>
    public delegate ITransformer PartLoader(MLContext context, IModelPartReader reader, int version);

    private static readonly Dictionary<string, (PartLoader Loader, int MaxVersion)> s_loaders = new(StringComparer.Ordinal);
    private static readonly object s_lock = new();

    static ModelPartRegistry() => BuiltInModelParts.RegisterAll();

    /// <summary>Registers the loader of <paramref name="kind"/>, which reads versions up to <paramref name="maxVersion"/>.</summary>
    public static void Register(string kind, int maxVersion, PartLoader loader)
    {
        lock (s_lock) s_loaders[kind] = (loader, maxVersion);
    }

    /// <summary>Finds the loader of <paramref name="kind"/>.</summary>
    public static bool TryGet(string kind, out PartLoader loader, out int maxVersion)
    {
        lock (s_lock)
        {
            if (s_loaders.TryGetValue(kind, out var e)) { loader = e.Loader; maxVersion = e.MaxVersion; return true; }
        }
        loader = null!; maxVersion = 0; return false;
    }
}
