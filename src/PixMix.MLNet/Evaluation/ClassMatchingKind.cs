namespace PixMix.MLNet.Evaluation;

/// <summary>How the classes of evaluated data were paired with the model's classes.</summary>
public enum ClassMatchingKind
{
    /// <summary>Both sides name their classes and the names are in the same order.</summary>
    ByName,
    /// <summary>Both sides name the same classes in another order; the data's labels were remapped by name.</summary>
    RemappedByName,
    /// <summary>At least one side has no class names (or only "0".."K-1"); classes were paired by index.</summary>
    ByPosition,
}
