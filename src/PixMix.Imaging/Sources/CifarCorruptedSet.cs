using PixMix.Imaging.Core;
using PixMix.Imaging.Formats;

namespace PixMix.Imaging.Sources;

/// <summary>
/// A CIFAR-10-C / CIFAR-100-C folder: one file <c>&lt;corruption&gt;.npy</c> per corruption, uint8 of shape (5N, H, W, C)
/// holding the 5 severities in blocks of N images (first block = severity 1; CIFAR-10-C has N = 10,000 and 32x32x3),
/// and <c>labels.npy</c> (uint8 or int64) with 5N labels (one per image) or N (shared by the severities).
/// Corruption files are memory-mapped when first used. Sources from <see cref="Get"/> stay valid until the set is
/// disposed; to score many files in sequence with small peak memory use <see cref="OpenCorruption"/> and dispose
/// each file after use.
/// </summary>
public sealed class CifarCorruptedSet : IDisposable
{
    /// <summary>Number of severities per corruption file.</summary>
    public const int SeverityCount = 5;

    /// <summary>Name of the labels file.</summary>
    public const string LabelsFileName = "labels.npy";

    /// <summary>The 15 benchmark corruptions, in the benchmark's order.</summary>
    public static IReadOnlyList<string> BenchmarkCorruptions { get; } =
    [
        "gaussian_noise", "shot_noise", "impulse_noise", "defocus_blur", "glass_blur", "motion_blur", "zoom_blur",
        "snow", "frost", "fog", "brightness", "contrast", "elastic_transform", "pixelate", "jpeg_compression",
    ];

    /// <summary>The 4 extra (held-out) corruptions.</summary>
    public static IReadOnlyList<string> ExtraCorruptions { get; } = ["speckle_noise", "gaussian_blur", "spatter", "saturate"];

    /// <summary>The 15 benchmark corruptions followed by the 4 extra ones.</summary>
    public static IReadOnlyList<string> AllCorruptions { get; } = [.. BenchmarkCorruptions, .. ExtraCorruptions];

    private readonly Dictionary<string, CorruptionFile> _open = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly int[]? _labels;
    private bool _disposed;

    private readonly DataFileAccess _access;

    private CifarCorruptedSet(string folder, IReadOnlyList<string> corruptions, int[]? labels, IReadOnlyList<string>? classNames, DataFileAccess access)
    {
        _access = access;
        Folder = folder;
        Corruptions = corruptions;
        _labels = labels;
        ClassNames = classNames;
    }

    /// <summary>
    /// Opens a folder. Corruptions are listed in benchmark order (the 15, then the 4 extra), then any other
    /// <c>*.npy</c> files in ordinal order. Without <c>labels.npy</c> the sources have no labels.
    /// </summary>
    public static CifarCorruptedSet Open(string folder, IReadOnlyList<string>? classNames = null, DataFileAccess access = DataFileAccess.MemoryMapped)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"Corrupted set folder '{full}' does not exist.");
        var names = Directory.EnumerateFiles(full, "*.npy")
            .Select(p => Path.GetFileNameWithoutExtension(p))
            .Where(n => n != "labels")
            .ToHashSet(StringComparer.Ordinal);
        var ordered = AllCorruptions.Where(names.Contains).Concat(names.Except(AllCorruptions).Order(StringComparer.Ordinal)).ToArray();
        if (ordered.Length == 0)
        {
            var present = Directory.EnumerateFileSystemEntries(full).Select(p => Path.GetFileName(p) + (Directory.Exists(p) ? "/" : "")).Order(StringComparer.Ordinal).ToArray();
            string found = present.Length == 0 ? "it is empty" : $"it holds {(present.Length <= 8 ? string.Join(", ", present) : $"{string.Join(", ", present.Take(8))} and {present.Length - 8} more")}";
            throw new InvalidInputDataException($"Corrupted set folder '{full}' holds no <corruption>.npy image files: {found}; expected one uint8 (5N, H, W, C) file per corruption (gaussian_noise.npy, shot_noise.npy, ...) beside labels.npy.", full);
        }
        var labelsPath = Path.Combine(full, LabelsFileName);
        int[]? labels = File.Exists(labelsPath) ? NpyImageSource.ReadLabelFile(labelsPath) : null;
        if (labels is not null)
        {
            // A labels file that fits no corruption file is its own error, found now rather than mid-evaluation.
            foreach (var name in ordered)
            {
                var path = Path.Combine(full, name + ".npy");
                long images;
                using (var file = NpyFile.Open(path, access)) images = file.Rank >= 1 ? file.Shape[0] : 0;
                // Files that are not 5 severity blocks get their own error when opened (CorruptionFile).
                if (images % SeverityCount != 0 || labels.Length == images || labels.Length == images / SeverityCount) continue;
                throw new InvalidInputDataException($"Labels file '{labelsPath}' holds {labels.Length} labels but '{path}' holds {images} images; expected {images} labels (one per image) or {images / SeverityCount} (one per image of a severity, {SeverityCount} severities).", labelsPath);
            }
        }
        return new CifarCorruptedSet(full, ordered, labels, classNames, access);
    }

    /// <summary>The folder's full path.</summary>
    public string Folder { get; }
    /// <summary>The corruptions present.</summary>
    public IReadOnlyList<string> Corruptions { get; }
    /// <summary>Whether the folder has <c>labels.npy</c>.</summary>
    public bool HasLabels => _labels is not null;
    /// <summary>Class names given when opening, or null.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Whether the folder holds <paramref name="corruption"/>.</summary>
    public bool Contains(string corruption) => Corruptions.Contains(corruption, StringComparer.Ordinal);

    /// <summary>
    /// Opens one corruption file (memory-mapped) independently of the set's cache; dispose it to release the mapping.
    /// </summary>
    public CorruptionFile OpenCorruption(string corruption)
    {
        ArgumentNullException.ThrowIfNull(corruption);
        if (!Contains(corruption))
            throw new ArgumentException($"Corruption '{corruption}' is not in '{Folder}' (present: {string.Join(", ", Corruptions)}).", nameof(corruption));
        var path = Path.Combine(Folder, corruption + ".npy");
        return new CorruptionFile(corruption, NpyFile.Open(path, _access), _labels, Path.Combine(Folder, LabelsFileName), ClassNames);
    }

    /// <summary>The images of one corruption at one severity (1..5), with labels; valid until the set is disposed.</summary>
    public NpyImageSource Get(string corruption, int severity) => Cached(corruption).Severity(severity);

    /// <summary>All 5N images of one corruption (severity 1 first); valid until the set is disposed.</summary>
    public NpyImageSource GetAllSeverities(string corruption) => Cached(corruption).AllSeverities;

    private CorruptionFile Cached(string corruption)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_open.TryGetValue(corruption, out var file))
            {
                file = OpenCorruption(corruption);
                _open.Add(corruption, file);
            }
            return file;
        }
    }

    /// <summary>Releases the cached mapping of one corruption file (sources obtained for it become unusable).</summary>
    public void Release(string corruption)
    {
        lock (_lock)
        {
            if (_open.Remove(corruption, out var file)) file.Dispose();
        }
    }

    /// <summary>Releases all mappings.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var f in _open.Values) f.Dispose();
            _open.Clear();
        }
    }
}
