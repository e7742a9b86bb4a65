using PixMix.MLNet.Persistence;

namespace PixMix.MLNet.Tests.Persistence;

/// <summary>Writes a model part's entries into a dictionary, for tests of what a part writes and reads.</summary>
internal sealed class MemoryPartWriter(Dictionary<string, byte[]> entries) : IModelPartWriter
{
    public Stream Create(string name) => new EntryStream(bytes => entries[name] = bytes);

    private sealed class EntryStream(Action<byte[]> store) : MemoryStream
    {
        protected override void Dispose(bool disposing)
        {
            if (disposing) store(ToArray());
            base.Dispose(disposing);
        }
    }
}
