namespace PixMix.MLNet.Persistence;

/// <summary>
/// A transformer of this library that saves itself into a PixMix model file (ML.NET's own persistence is closed
/// to third-party transformers). A loader for its <see cref="PartKind"/> is registered with
/// <see cref="ModelPartRegistry"/>.
/// </summary>
public interface IPixMixModelPart : ITransformer
{
    /// <summary>A stable identifier of the part's type, for example "PixMix.Transformer".</summary>
    string PartKind { get; }
    /// <summary>The version of the part's format written by <see cref="SavePart"/>.</summary>
    int PartVersion { get; }
    /// <summary>Writes the part's state.</summary>
    void SavePart(IModelPartWriter writer);
}
