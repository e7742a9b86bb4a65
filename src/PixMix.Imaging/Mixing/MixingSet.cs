using PixMix.Imaging.Fractals;

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

/// <summary>The kinds of mixing set.</summary>
public enum MixingSetKind
{
    /// <summary>Built-in procedural fractals.</summary>
    Fractals,
    /// <summary>A folder of pictures.</summary>
    Folder,
}

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

/// <summary>Options of a folder mixing set.</summary>
public sealed record MixingFolderOptions
{
    /// <summary>Skip files that cannot be decoded (they are listed in <see cref="FolderMixingSet.Skipped"/>) instead of failing.</summary>
    public bool SkipUnreadable { get; init; }
}

/// <summary>The built-in fractal pictures.</summary>
public sealed class FractalMixingSet : MixingSet
{
    private readonly int _count;
    private readonly long _seed;

    /// <summary>Creates a set of <paramref name="count"/> fractals seeded <paramref name="seed"/>.</summary>
    public FractalMixingSet(int count, long seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "The fractal mixing set needs count >= 1 pictures; an empty mixing set is not allowed.");
        _count = count; _seed = seed;
    }

    /// <inheritdoc />
    public override int Count => _count;
    /// <inheritdoc />
    public override MixingSetDescription Description => new() { Kind = MixingSetKind.Fractals, Count = _count, Seed = _seed };

    /// <inheritdoc />
    public override ImageU8 LoadPicture(int index, int minShorterSide)
    {
        if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in 0..{_count - 1}.");
        int size = Math.Max(8, minShorterSide);
        var img = new ImageU8(size, size, 3);
        FractalGenerator.Render(_seed, index, img);
        return img;
    }
}

/// <summary>A folder of pictures, found recursively, decoded with SkiaSharp.</summary>
public sealed class FolderMixingSet : MixingSet
{
    private static readonly HashSet<string> s_extensions = new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp" };
    private readonly string[] _files;
    private readonly List<string> _skipped = [];
    private readonly bool _skipUnreadable;

    /// <summary>Scans <paramref name="folder"/>; throws when it does not exist or holds no picture.</summary>
    public FolderMixingSet(string folder, MixingFolderOptions options)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Mixing set folder '{Path.GetFullPath(folder)}' does not exist.");
        Folder = Path.GetFullPath(folder);
        _skipUnreadable = options.SkipUnreadable;
        // Links to folders are followed only inside the folder, each real folder once; a FIFO, device or socket named
        // like a picture is never opened.
        var leftOut = new List<(string Path, string Reason)>();
        var files = SafeFileWalk.Files(Folder, f => s_extensions.Contains(Path.GetExtension(f)), leftOut).ToList();
        foreach (var (path, reason) in leftOut)
        {
            if (!reason.EndsWith("(not opened)", StringComparison.Ordinal)) continue;
            if (!_skipUnreadable) throw new Core.InvalidInputDataException($"Mixing set file '{path}' is {reason}; expected a picture file.", path);
            _skipped.Add(path);
        }
        // Every picture is decoded in full once here, so a truncated or damaged file is found now (and named, or
        // skipped and counted), never mixed in as a partly blank picture later.
        var reasons = ImageCodec.FindUndecodable(files);
        var ok = new List<string>(files.Count);
        for (int i = 0; i < files.Count; i++)
        {
            if (reasons[i] is null) ok.Add(files[i]);
            else if (_skipUnreadable) _skipped.Add(files[i]);
            else throw new Core.InvalidInputDataException($"Mixing set file '{files[i]}' is not a readable picture: {reasons[i]}. Remove it, or set SkipUnreadable (CLI: --skip-unreadable) to skip such files.", files[i]);
        }
        files = ok;
        if (files.Count == 0)
            throw new Core.InvalidInputDataException($"Mixing set folder '{Folder}' holds no readable picture (PNG, JPEG, BMP, GIF, WEBP){(_skipped.Count > 0 ? $"; {_skipped.Count} unreadable file(s) skipped" : "")}. An empty mixing set is not allowed.", Folder);
        _files = [.. files];
    }

    /// <summary>The root folder.</summary>
    public string Folder { get; }
    /// <summary>The picture files, sorted.</summary>
    public IReadOnlyList<string> Files => _files;
    /// <summary>Files skipped because they could not be decoded (with <see cref="MixingFolderOptions.SkipUnreadable"/>).</summary>
    public IReadOnlyList<string> Skipped => _skipped;
    /// <inheritdoc />
    public override int Count => _files.Length;
    /// <inheritdoc />
    public override MixingSetDescription Description => new() { Kind = MixingSetKind.Folder, Count = _files.Length, Folder = Folder, SkipUnreadable = _skipUnreadable };

    /// <inheritdoc />
    public override ImageU8 LoadPicture(int index, int minShorterSide)
    {
        if ((uint)index >= (uint)_files.Length) throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in 0..{_files.Length - 1}.");
        return ImageCodec.Read(_files[index], 3);
    }
}
