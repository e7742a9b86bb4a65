using System.IO.Compression;
using PixMix.MLNet.Persistence;

namespace PixMix.MLNet.Training;

/// <summary>Writes model-part entries into a zip archive.</summary>
internal sealed class ZipModelPartWriter(ZipArchive archive) : IModelPartWriter
{
    public Stream Create(string name) => archive.CreateEntry(name, CompressionLevel.Fastest).Open();
}

/// <summary>Reads model-part entries from a zip archive.</summary>
internal sealed class ZipModelPartReader(ZipArchive archive, string modelPath) : IModelPartReader
{
    public string ModelPath => modelPath;
    public bool Exists(string name) => archive.GetEntry(name) is not null;

    public Stream Open(string name)
    {
        var entry = archive.GetEntry(name) ?? throw new InvalidDataException($"Model file '{modelPath}' has no entry '{name}'.");
        // Copy into memory: TorchSharp's loaders need a seekable stream.
        var memory = new MemoryStream();
        using (var stream = entry.Open()) stream.CopyTo(memory);
        memory.Position = 0;
        return memory;
    }
}
