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

/// <summary>Writes files atomically: to a temporary name in the same folder, then renamed over the target.</summary>
internal static class AtomicFile
{
    internal static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    internal static void WriteZip(string path, Action<ZipArchive> write) =>
        Write(path, stream =>
        {
            using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            write(archive);
        });
}
