namespace PixMix.MLNet.Persistence;

/// <summary>Writes a part's entries under its folder of a model zip, each digested for the manifest. One entry may be open at a time.</summary>
internal sealed class ZipModelPartWriter(DigestingZipWriter writer, string folder) : IModelPartWriter
{
    public Stream Create(string name) => writer.Create(folder + ZipModelPartReader.CheckName(name));
}
