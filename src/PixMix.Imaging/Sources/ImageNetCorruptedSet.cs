namespace PixMix.Imaging.Sources;

/// <summary>
/// The ImageNet-C layout: <c>root/&lt;corruption&gt;/&lt;severity 1..5&gt;/&lt;class&gt;/&lt;image&gt;</c>. Every
/// (corruption, severity) is an <see cref="ImageFolderSource"/>; all share one class list (given in the options, or
/// the class folders of the first corruption's first severity), so labels agree across them.
/// </summary>
public sealed class ImageNetCorruptedSet
{
    private readonly ImageFolderOptions _options;
    private readonly Dictionary<string, int[]> _severities;

    private ImageNetCorruptedSet(string root, string[] corruptions, Dictionary<string, int[]> severities, ImageFolderOptions options)
    {
        Root = root;
        Corruptions = corruptions;
        _severities = severities;
        _options = options;
    }

    /// <summary>Scans the corruption and severity folders (images are listed when a source is requested).</summary>
    public static ImageNetCorruptedSet Open(string root, ImageFolderOptions? options = null)
    {
        options ??= new ImageFolderOptions();
        options.Validate();
        ArgumentException.ThrowIfNullOrEmpty(root);
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"ImageNet-C folder '{full}' does not exist.");
        var severities = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var name in SafeFileWalk.Folders(full))
        {
            string dir = Path.Combine(full, name);
            var levels = SafeFileWalk.Folders(dir)
                .Where(n => n.Length == 1 && n[0] is >= '1' and <= '5').Select(n => n[0] - '0').Order().ToArray();
            if (levels.Length > 0) severities[Path.GetFileName(dir)!] = levels;
        }
        if (severities.Count == 0) throw new InvalidDataException($"'{full}' holds no <corruption>/<severity 1..5> folders (ImageNet-C layout).");
        var names = severities.Keys.ToHashSet(StringComparer.Ordinal);
        var ordered = CifarCorruptedSet.AllCorruptions.Where(names.Contains).Concat(names.Except(CifarCorruptedSet.AllCorruptions).Order(StringComparer.Ordinal)).ToArray();
        if (options.ClassNames is null)
        {
            var first = Path.Combine(full, ordered[0], severities[ordered[0]][0].ToString(System.Globalization.CultureInfo.InvariantCulture));
            var classes = SafeFileWalk.Folders(first);
            options = new ImageFolderOptions
            {
                Size = options.Size, ResizeShorterSide = options.ResizeShorterSide, Grayscale = options.Grayscale,
                SkipUnreadable = options.SkipUnreadable, Extensions = options.Extensions, ClassNames = classes,
            };
        }
        return new ImageNetCorruptedSet(full, ordered, severities, options);
    }

    /// <summary>The root folder.</summary>
    public string Root { get; }
    /// <summary>Corruptions present (benchmark order first, then others ordinally).</summary>
    public IReadOnlyList<string> Corruptions { get; }
    /// <summary>The class list shared by all sources.</summary>
    public IReadOnlyList<string> ClassNames => _options.ClassNames!;
    /// <summary>The severities present for <paramref name="corruption"/>.</summary>
    public IReadOnlyList<int> Severities(string corruption) => _severities.TryGetValue(corruption, out var s)
        ? s : throw new ArgumentException($"Corruption '{corruption}' is not in '{Root}'.", nameof(corruption));

    /// <summary>The images of one corruption at one severity.</summary>
    public ImageFolderSource Get(string corruption, int severity)
    {
        if (!Severities(corruption).Contains(severity))
            throw new ArgumentException($"'{Root}' has no severity {severity} for '{corruption}' (present: {string.Join(", ", Severities(corruption))}).", nameof(severity));
        return ImageFolderSource.Open(Path.Combine(Root, corruption, severity.ToString(System.Globalization.CultureInfo.InvariantCulture)), _options);
    }
}
