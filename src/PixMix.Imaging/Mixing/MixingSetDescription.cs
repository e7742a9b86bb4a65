namespace PixMix.Imaging.Mixing;

/// <summary>What recreates a mixing set: stored with saved models.</summary>
public sealed record MixingSetDescription
{
    /// <summary>The kind.</summary>
    public MixingSetKind Kind { get; init; }
    /// <summary>Fractals: number of pictures. Folder: number found when described.</summary>
    public int Count { get; init; }
    /// <summary>Fractals: the seed.</summary>
    public long Seed { get; init; }
    /// <summary>Folder: the root folder.</summary>
    public string? Folder { get; init; }
    /// <summary>Folder: whether unreadable files were skipped.</summary>
    public bool SkipUnreadable { get; init; }

    /// <inheritdoc />
    public override string ToString() => Kind == MixingSetKind.Fractals ? $"fractals(count={Count}, seed={Seed})" : $"folder({Folder}, {Count} pictures)";
}
