namespace PixMix.Imaging.Mixing;

/// <summary>Options of a folder mixing set.</summary>
public sealed record MixingFolderOptions
{
    /// <summary>Skip files that cannot be decoded (they are listed in <see cref="FolderMixingSet.Skipped"/>) instead of failing.</summary>
    public bool SkipUnreadable { get; init; }
}
