namespace PixMix.MLNet.Persistence;

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
