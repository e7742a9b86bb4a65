namespace PixMix.MLNet.Persistence;

/// <summary>Writes the named entries of one part of a PixMix model file.</summary>
public interface IModelPartWriter
{
    /// <summary>
    /// Creates the entry <paramref name="name"/> (a relative path inside the part) and returns a stream to write it.
    /// Entries are written one after the other: dispose the stream before creating the next entry.
    /// </summary>
    Stream Create(string name);
}
