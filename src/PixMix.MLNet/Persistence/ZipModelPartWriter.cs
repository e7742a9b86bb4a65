using System.IO.Compression;

namespace PixMix.MLNet.Persistence;

/// <summary>Writes a part's entries under its folder of a model zip. One entry may be open at a time.</summary>
internal sealed class ZipModelPartWriter(ZipArchive archive, string folder) : IModelPartWriter
{
    public Stream Create(string name)
    {
        var entryName = folder + ZipModelPartReader.CheckName(name);
        return archive.CreateEntry(entryName, CompressionLevel.Fastest).Open();
    }
}
