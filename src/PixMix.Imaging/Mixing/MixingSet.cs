namespace PixMix.Imaging.Mixing;

/// <summary>
/// The pictures PixMix mixes training images with. Two kinds share this interface: a folder of pictures in any
/// nesting (the paper's fractals and feature visualisations, an image-folder tree of PNG/JPEG) and the built-in
/// procedural fractals (no download needed). Pictures are RGB; <see cref="MixingPictureSampler"/> resizes, crops
/// and caches them for a given training size.
/// </summary>
public abstract class MixingSet
{
    /// <summary>Number of pictures; always at least 1.</summary>
    public abstract int Count { get; }

    /// <summary>A serializable description that recreates this set (kind, folder or seed and count).</summary>
    public abstract MixingSetDescription Description { get; }

    /// <summary>
    /// Loads picture <paramref name="index"/> as RGB with its shorter side at least <paramref name="minShorterSide"/> when the
    /// source can render at any size (fractals); a folder returns the picture at its own size.
    /// </summary>
    public abstract ImageU8 LoadPicture(int index, int minShorterSide);

    /// <summary>The built-in procedural fractals: <paramref name="count"/> pictures, deterministic by <paramref name="seed"/>.</summary>
    public static MixingSet Fractals(int count = 1000, long seed = 0) => new FractalMixingSet(count, seed);

    /// <summary>All PNG/JPEG/BMP/GIF/WEBP pictures under <paramref name="folder"/>, in any nesting (class sub-folders ignored).</summary>
    public static MixingSet FromFolder(string folder, MixingFolderOptions? options = null) => new FolderMixingSet(folder, options ?? new MixingFolderOptions());

    /// <summary>Recreates a set from its description.</summary>
    public static MixingSet FromDescription(MixingSetDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return description.Kind switch
        {
            MixingSetKind.Fractals => Fractals(description.Count, description.Seed),
            MixingSetKind.Folder => FromFolder(description.Folder ?? throw new ArgumentException("A folder mixing set description needs Folder.", nameof(description)),
                new MixingFolderOptions { SkipUnreadable = description.SkipUnreadable }),
            _ => throw new ArgumentException($"Unknown mixing set kind '{description.Kind}'.", nameof(description)),
        };
    }
}
