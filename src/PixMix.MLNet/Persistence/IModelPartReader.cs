namespace PixMix.MLNet.Persistence;

/// <summary>Reads the named entries of one part of a PixMix model file.</summary>
public interface IModelPartReader
{
    /// <summary>Whether the entry exists.</summary>
    bool Exists(string name);
    /// <summary>
    /// Opens the entry for reading (a seekable stream holding content that passed its size, CRC-32 and SHA-256 checks);
    /// throws <see cref="InvalidDataException"/> naming the model file and entry when it is missing or damaged.
    /// </summary>
    Stream Open(string name);
    /// <summary>The model file being read, for error messages.</summary>
    string ModelPath { get; }
}
