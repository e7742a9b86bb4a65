using System.IO.Compression;

namespace PixMix.MLNet.Persistence;

/// <summary>Reads a part's entries under its folder of a model zip. Streams are in memory and seekable.</summary>
internal sealed class ZipModelPartReader(ZipArchive archive, string folder, string modelPath) : IModelPartReader
{
    public string ModelPath => modelPath;

    public bool Exists(string name) => archive.GetEntry(folder + CheckName(name)) is not null;

    public Stream Open(string name)
    {
        var entryName = folder + CheckName(name);
        var entry = archive.GetEntry(entryName)
            ?? throw new InvalidDataException($"Model file '{modelPath}' is missing the entry '{entryName}'.");
        return PixMixModelFile.ReadEntry(entry, modelPath);
    }

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
