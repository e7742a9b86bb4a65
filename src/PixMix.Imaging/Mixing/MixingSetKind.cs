namespace PixMix.Imaging.Mixing;

/// <summary>The kinds of mixing set.</summary>
public enum MixingSetKind
{
    /// <summary>Built-in procedural fractals.</summary>
    Fractals,
    /// <summary>A folder of pictures.</summary>
    Folder,
}
