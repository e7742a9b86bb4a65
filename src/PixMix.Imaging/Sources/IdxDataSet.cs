using System.Text.RegularExpressions;
using PixMix.Imaging.Core;
using PixMix.Imaging.Formats;

namespace PixMix.Imaging.Sources;

/// <summary>
/// An idx data set in the MNIST layout (MNIST, Fashion-MNIST, KMNIST, EMNIST splits): in one folder the four files
/// <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c> and
/// <c>t10k-labels-idx1-ubyte</c>, each raw or gzip (<c>.gz</c>), optionally behind a common prefix as EMNIST names
/// them (<c>emnist-digits-train-images-idx3-ubyte.gz</c>). A folder holding several prefixes is chosen from by naming
/// the prefix after the folder (<c>&lt;folder&gt;/emnist-digits</c>). When the folder holds a <c>SHA256SUMS</c> file the files read are
/// verified against it; otherwise they are checked structurally (idx magic, dimensions, lengths, image and label counts,
/// labels in range). The class count is the largest label of the splits present plus one, unless class names are given
/// (the options, or <c>classes.txt</c>: one name per line).
/// </summary>
public sealed partial class IdxDataSet
{
    /// <summary>The optional class-name file: one name per line, label = line index.</summary>
    public const string ClassNamesFileName = "classes.txt";

    /// <summary>The expected file names, for messages.</summary>
    public const string ExpectedFiles = "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each raw or .gz, optionally behind a prefix such as emnist-digits-)";

    [GeneratedRegex(@"^(?:(?<prefix>.+?)-)?(?<split>train|t10k|test)-(?<kind>images|labels)[-.]idx(?<rank>[13])-ubyte(?<gz>\.gz)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IdxName();

    private readonly Dictionary<(bool Train, bool Images), string> _files;

    private IdxDataSet(string folder, string prefix, Dictionary<(bool, bool), string> files, IReadOnlyList<string>? defaultClassNames)
    {
        Folder = folder;
        Prefix = prefix;
        _files = files;
        DefaultClassNames = defaultClassNames;
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }
    /// <summary>The common file-name prefix (empty for the MNIST names, <c>emnist-digits</c> for example for EMNIST).</summary>
    public string Prefix { get; }
    /// <summary>Class names used when neither the options nor <c>classes.txt</c> give them.</summary>
    public IReadOnlyList<string>? DefaultClassNames { get; }

    /// <summary>The file of a split (<paramref name="images"/> or labels), or null when the folder lacks it.</summary>
    public string? FileOf(bool train, bool images) => _files.GetValueOrDefault((train, images));

    /// <summary>Whether <paramref name="folder"/> holds at least one idx image file named in the MNIST layout.</summary>
    public static bool LooksLikeIdxFolder(string folder)
        => Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any(f => IdxName().Match(Path.GetFileName(f)) is { Success: true } m && m.Groups["kind"].Value.Equals("images", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Finds the idx files under <paramref name="location"/>: a folder, or a folder followed by a file-name prefix
    /// (<c>emnist/emnist-digits</c>). Errors say what was found and what was expected.
    /// </summary>
    /// <param name="location">The folder, or folder/prefix.</param>
    /// <param name="defaultClassNames">Names used when the options and <c>classes.txt</c> give none.</param>
    public static IdxDataSet Discover(string location, IReadOnlyList<string>? defaultClassNames = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        var full = Path.GetFullPath(location);
        string folder;
        string? wanted = null;
        if (Directory.Exists(full)) folder = full;
        else if (Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(full)) is { } parent && Directory.Exists(parent))
        {
            folder = parent;
            wanted = Path.GetFileName(Path.TrimEndingDirectorySeparator(full));
        }
        else throw new DirectoryNotFoundException($"idx data folder '{full}' does not exist.");

        var groups = new Dictionary<string, Dictionary<(bool, bool), List<string>>>(StringComparer.OrdinalIgnoreCase);
        var all = Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        foreach (var name in all)
        {
            var m = IdxName().Match(name);
            if (!m.Success) continue;
            string prefix = m.Groups["prefix"].Value;
            bool train = m.Groups["split"].Value.Equals("train", StringComparison.OrdinalIgnoreCase);
            bool images = m.Groups["kind"].Value.Equals("images", StringComparison.OrdinalIgnoreCase);
            if (!groups.TryGetValue(prefix, out var g)) groups[prefix] = g = [];
            if (!g.TryGetValue((train, images), out var list)) g[(train, images)] = list = [];
            list.Add(name);
        }
        string found = all.Length == 0 ? "the folder is empty" : $"found {Listing(all)}";
        if (groups.Count == 0)
            throw new InvalidInputDataException($"'{folder}' holds no idx data set: expected {ExpectedFiles}; {found}.", folder);
        string chosen;
        if (wanted is not null)
        {
            chosen = groups.Keys.FirstOrDefault(k => k.Equals(wanted, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidInputDataException($"'{folder}' holds no idx files with the prefix '{wanted}-': the prefixes present are {string.Join(", ", groups.Keys.Select(k => k.Length == 0 ? "(none)" : k))}.", folder);
        }
        else if (groups.Count == 1) chosen = groups.Keys.Single();
        else
            throw new InvalidInputDataException($"'{folder}' holds {groups.Count} idx data sets ({string.Join(", ", groups.Keys.Select(k => k.Length == 0 ? "(no prefix)" : k))}); name one after the folder, for example idx:{Path.Combine(folder, groups.Keys.First(k => k.Length > 0))}.", folder);

        var sums = Checksums(folder);
        var files = new Dictionary<(bool, bool), string>();
        foreach (var (key, names) in groups[chosen])
        {
            // Raw and .gz copies of one file: the one the checksum file lists, else the raw one (memory-mapped).
            var pick = names.FirstOrDefault(n => sums?.ContainsKey(n) == true) ?? names.OrderBy(n => n.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)).First();
            files[key] = Path.Combine(folder, pick);
        }
        return new IdxDataSet(folder, chosen, files, defaultClassNames);
    }

    private static string Listing(string[] names) => names.Length <= 8 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(8))} and {names.Length - 8} more";

    // The checksum file's entries (file name to hash), or null when the folder has none.
    private static Dictionary<string, string>? Checksums(string folder)
    {
        var path = Path.Combine(folder, FashionMnist.ChecksumFileName);
        return File.Exists(path) ? FashionMnist.ReadChecksums(path) : null;
    }

    /// <summary>
    /// The class names: <see cref="IdxDataSetOptions.ClassNames"/>, else <c>classes.txt</c>, else
    /// <see cref="DefaultClassNames"/>, else "0" .. the largest label of the splits present.
    /// </summary>
    public IReadOnlyList<string> ClassNames(IdxDataSetOptions? options = null)
    {
        if (options?.ClassNames is { } given) return given;
        var namesPath = Path.Combine(Folder, ClassNamesFileName);
        if (File.Exists(namesPath))
        {
            var names = File.ReadAllLines(namesPath).Select(l => l.Trim()).ToList();
            while (names.Count > 0 && names[^1].Length == 0) names.RemoveAt(names.Count - 1);
            if (names.Count < 2 || names.Any(n => n.Length == 0))
                throw new InvalidInputDataException($"Class-name file '{namesPath}' must hold one non-empty name per line, at least 2; it holds {names.Count} line(s){(names.Any(n => n.Length == 0) ? " with blank lines among them" : "")}.", namesPath);
            return names;
        }
        if (DefaultClassNames is not null) return DefaultClassNames;
        int max = -1;
        foreach (bool train in new[] { true, false })
        {
            if (FileOf(train, images: false) is not { } labelsPath) continue;
            Verify(labelsPath);
            using var labels = IdxFile.Open(labelsPath);
            if (labels.Dimensions.Count != 1)
                throw new InvalidInputDataException($"idx label file '{labels.Path}' has {labels.Dimensions.Count} dimensions; a label file (magic 0x{IdxFile.LabelsMagic:X8}) has 1.", labels.Path);
            var buffer = new byte[labels.Dimensions[0]];
            labels.Read(0, buffer);
            foreach (var b in buffer) max = Math.Max(max, b);
        }
        if (max < 0) throw new InvalidInputDataException($"'{Folder}' holds no labels to count the classes from: expected {ExpectedFiles}.", Folder);
        return [.. Enumerable.Range(0, max + 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>
    /// Opens the training or test split, labelled: 32x32 RGB by padding (the default) or the stored grey images, as
    /// <paramref name="options"/> say. Dispose the result (and, for a padded source, its inner source) to release the files.
    /// </summary>
    public IImageSource Open(bool train, IdxDataSetOptions? options = null)
    {
        options ??= new IdxDataSetOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Padding);
        string split = train ? "train" : "t10k";
        string prefix = Prefix.Length == 0 ? "" : Prefix + "-";
        var imagesPath = FileOf(train, images: true);
        var labelsPath = FileOf(train, images: false);
        if (imagesPath is null || labelsPath is null)
        {
            string missing = imagesPath is null ? $"{prefix}{split}-images-idx3-ubyte[.gz]" : $"{prefix}{split}-labels-idx1-ubyte[.gz]";
            var present = _files.Values.Select(Path.GetFileName).Order(StringComparer.Ordinal);
            throw new FileNotFoundException($"idx data folder '{Folder}' lacks {missing} for the {(train ? "training" : "test")} split; it holds {string.Join(", ", present)}. Expected {ExpectedFiles}.", Path.Combine(Folder, missing));
        }
        Verify(imagesPath);
        Verify(labelsPath);
        var classNames = ClassNames(options);
        var source = IdxImageSource.Open(imagesPath, labelsPath, classNames, options.Transpose);
        return options.KeepGrey ? source : new PaddedRgbImageSource(source, options.Padding);
    }

    private void Verify(string path)
    {
        if (File.Exists(Path.Combine(Folder, FashionMnist.ChecksumFileName))) FashionMnist.Verify(Folder, Path.GetFileName(path));
    }
}
