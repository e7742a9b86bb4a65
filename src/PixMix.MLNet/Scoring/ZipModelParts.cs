using PixMix.MLNet.Persistence;

namespace PixMix.MLNet.Scoring;

/// <summary>
/// A classifier saved on its own (<see cref="ImageClassificationTransformer.Save(string)"/>): a zip of the part's
/// entries and <c>contents.json</c>, which records the file's format version and the size and SHA-256 of every other
/// entry. Reading verifies each entry (<see cref="VerifiedZipReader"/>) before the classifier's loader sees it.
/// </summary>
internal static class StandaloneClassifierFile
{
    internal const string ContentsEntry = "contents.json";
    internal const string FormatName = "PixMix.ImageClassifier.File";
    /// <summary>The version written and read; files without <see cref="ContentsEntry"/> (version 1) recorded no hashes.</summary>
    internal const int FormatVersion = 2;
    private const string Kind = "Image classifier file";
    private const long MaxContentsSize = 1L << 20;

    internal sealed record Contents
    {
        public string Format { get; init; } = FormatName;
        public int FormatVersion { get; init; }
        public Dictionary<string, ZipEntryDigest>? Entries { get; init; }
    }

    /// <summary>Writes the file atomically through <paramref name="save"/>.</summary>
    internal static void Save(string path, Action<IModelPartWriter> save) =>
        ZipSeal.Write(path, archive =>
        {
            var writer = new DigestingZipWriter(archive);
            save(new PartWriter(writer));
            using var stream = writer.CreateIndex(ContentsEntry);
            JsonSerializer.Serialize(stream, new Contents { FormatVersion = FormatVersion, Entries = writer.Digests }, ImageClassifierModelInfo.Json);
        });

    /// <summary>
    /// Opens the file at <paramref name="path"/> (which exists) and loads it through <paramref name="load"/>, which reads
    /// verified entries; <paramref name="requiredEntry"/> tells a classifier file from other zips.
    /// </summary>
    internal static T Load<T>(string path, string requiredEntry, Func<IModelPartReader, T> load)
    {
        using var archive = VerifiedZipReader.Open(Path.GetFullPath(path), Kind);
        if (!archive.Contains(requiredEntry))
            throw new InvalidDataException($"'{path}' is not an image classifier file: it has no '{requiredEntry}' entry.");
        Contents? contents;
        try
        {
            using var stream = archive.ReadIndex(ContentsEntry, MaxContentsSize)
                ?? throw new InvalidDataException(
                    $"Image classifier file '{path}' records no hashes of its entries (it has no '{ContentsEntry}': an earlier format), so its integrity cannot be checked. Re-save the classifier with this version of PixMix.MLNet.");
            contents = JsonSerializer.Deserialize<Contents>(stream, ImageClassifierModelInfo.Json);
        }
        catch (JsonException e)
        {
            throw archive.Damaged($"'{ContentsEntry}' is not valid JSON ({e.Message})", e);
        }
        if (contents is null || contents.Format != FormatName) throw archive.Damaged($"'{ContentsEntry}' does not describe an image classifier file");
        if (contents.FormatVersion < 1 || contents.FormatVersion > 1000) throw archive.Damaged($"the format version is {contents.FormatVersion}, which no classifier file has");
        if (contents.FormatVersion > FormatVersion)
            throw new InvalidDataException($"Image classifier file '{path}' has format version {contents.FormatVersion}; this library reads version {FormatVersion}. Update PixMix.MLNet.");
        if (contents.FormatVersion < FormatVersion || contents.Entries is null)
            throw new InvalidDataException($"Image classifier file '{path}' records no hashes of its entries, so its integrity cannot be checked. Re-save the classifier with this version of PixMix.MLNet.");
        archive.UseDigests(contents.Entries, ContentsEntry);
        var result = load(new PartReader(archive));
        archive.CheckAllRead();
        return result;
    }

    private sealed class PartWriter(DigestingZipWriter writer) : IModelPartWriter
    {
        public Stream Create(string name) => writer.Create(ZipModelPartReader.CheckName(name));
    }

    private sealed class PartReader(VerifiedZipReader archive) : IModelPartReader
    {
        public string ModelPath => archive.Path;
        public bool Exists(string name) => archive.Contains(ZipModelPartReader.CheckName(name));
        public Stream Open(string name) => archive.Read(ZipModelPartReader.CheckName(name));
    }
}
