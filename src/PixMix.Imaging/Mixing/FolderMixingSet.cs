namespace PixMix.Imaging.Mixing;

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
