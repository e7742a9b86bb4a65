using System.Text.Json.Serialization;

namespace PixMix.MLNet.Persistence;

/// <summary>
/// The table of contents of a PixMix model file (<c>manifest.json</c>): the format and its version, where the input
/// schema is, and the chain's parts in order. A part is either a run of ML.NET's own transformers saved by ML.NET into a
/// nested zip entry (<see cref="ModelManifestPart.MLNetType"/>) or one of this library's parts saved by
/// <see cref="IPixMixModelPart.SavePart"/> under its folder (<see cref="ModelManifestPart.PixMixType"/>). Since format
/// version 2 it records the size and SHA-256 of every other entry (<see cref="Entries"/>), checked before anything is
/// handed to a loader.
/// </summary>
internal sealed record ModelManifest
{
    public const string EntryName = "manifest.json";
    public const string FormatName = "PixMix.MLNet.Model";
    /// <summary>The version written, and the only one read (version 1 carried no entry hashes).</summary>
    public const int CurrentVersion = 2;
    /// <summary>The largest manifest read.</summary>
    public const long MaxSize = 4L << 20;

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Format { get; init; } = FormatName;
    public int FormatVersion { get; init; } = CurrentVersion;
    /// <summary>The library that wrote the file (informative).</summary>
    public string? Writer { get; init; }
    /// <summary>The entry holding the pipeline's input schema (an empty ML.NET model saved with it).</summary>
    public string InputSchema { get; init; } = "";
    public List<ModelManifestPart> Parts { get; init; } = [];
    /// <summary>How the training data was read, when the trainer recorded it (absent in files that do not say).</summary>
    public ModelManifestTrainingData? TrainingData { get; init; }
    /// <summary>The size and SHA-256 of every entry but the manifest, by entry name.</summary>
    public Dictionary<string, ZipEntryDigest>? Entries { get; init; }
}
