namespace PixMix.MLNet.Persistence;

/// <summary>The size and SHA-256 of one zip entry's content, recorded in a file's index entry when it is written.</summary>
internal sealed record ZipEntryDigest
{
    /// <summary>The entry's length in bytes (uncompressed).</summary>
    public long Size { get; init; }
    /// <summary>The SHA-256 of the entry's content, 64 lower-case hexadecimal digits.</summary>
    public string Sha256 { get; init; } = "";
}
