namespace PixMix.MLNet.Persistence;

/// <summary>One part of a <see cref="ModelManifest"/>.</summary>
internal sealed record ModelManifestPart
{
    public const string MLNetType = "mlnet";
    public const string PixMixType = "pixmix";

    /// <summary><see cref="MLNetType"/> or <see cref="PixMixType"/>.</summary>
    public string Type { get; init; } = "";
    /// <summary>ML.NET parts: the nested zip entry.</summary>
    public string? Entry { get; init; }
    /// <summary>ML.NET parts: how many transformers the run holds (informative).</summary>
    public int? Transformers { get; init; }
    /// <summary>PixMix parts: the part kind (<see cref="IPixMixModelPart.PartKind"/>).</summary>
    public string? Kind { get; init; }
    /// <summary>PixMix parts: the part version written.</summary>
    public int? Version { get; init; }
    /// <summary>PixMix parts: the folder holding the part's entries (ending in '/').</summary>
    public string? Folder { get; init; }
    /// <summary>PixMix parts: the transformer's scope in the chain.</summary>
    public TransformerScope? Scope { get; init; }
}
