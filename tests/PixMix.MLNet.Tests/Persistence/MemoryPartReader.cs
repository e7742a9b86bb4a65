using PixMix.MLNet.Persistence;

namespace PixMix.MLNet.Tests.Persistence;

/// <summary>Reads a model part's entries from a dictionary.</summary>
internal sealed class MemoryPartReader(Dictionary<string, byte[]> entries) : IModelPartReader
{
    public string ModelPath => "memory";
    public bool Exists(string name) => entries.ContainsKey(name);
    public Stream Open(string name) => entries.TryGetValue(name, out var bytes) ? new MemoryStream(bytes) : throw new InvalidDataException($"no entry {name}");
}
