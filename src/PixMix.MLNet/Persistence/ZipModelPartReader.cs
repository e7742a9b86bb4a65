namespace PixMix.MLNet.Persistence;

/// <summary>
/// Reads a part's entries under its folder of a model zip. Each entry is verified (size, CRC-32, SHA-256) before it is
/// handed out; streams are in memory and seekable.
/// </summary>
internal sealed class ZipModelPartReader(VerifiedZipReader archive, string folder) : IModelPartReader
{
    public string ModelPath => archive.Path;

    public bool Exists(string name) => archive.Contains(folder + CheckName(name));

    public Stream Open(string name) => archive.Read(folder + CheckName(name));

    /// <summary>Checks that <paramref name="name"/> is a relative path inside the part.</summary>
    internal static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var normalized = name.Replace('\\', '/');
        if (normalized.StartsWith('/') || Path.IsPathRooted(name) || normalized.Split('/').Any(s => s is "" or "." or ".."))
            throw new ArgumentException($"Model part entry name '{name}' must be a relative path without '.', '..' or empty segments.", nameof(name));
        return normalized;
    }
}
