using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace PixMix.Imaging.Sources;

/// <summary>
/// Fashion-MNIST (Zalando Research, MIT licence): 60,000 training and 10,000 test 28x28 grey images of 10 clothing
/// classes, in idx files. The repository ships them (gzip) in <c>data/fashion-mnist</c> with a <c>SHA256SUMS</c> file,
/// and so do the <c>PixMix.Data.FashionMnist</c> package (into an application's output folder) and the <c>pixmix</c>
/// tool (beside its assembly); every load verifies the files it reads against it. A folder of the user's own download (the four idx files, raw or
/// gzip, without a checksum file) is read as well, through <see cref="IdxDataSet"/>: its files are then checked
/// structurally (idx magic, dimensions, lengths, counts, labels in range).
/// </summary>
public static class FashionMnist
{
    /// <summary>Environment variable naming a data folder (one holding <c>fashion-mnist/</c>, or the Fashion-MNIST folder itself).</summary>
    public const string DataEnvironmentVariable = "PIXMIX_DATA";

    /// <summary>Name of the checksum file.</summary>
    public const string ChecksumFileName = "SHA256SUMS";

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Image side (28).</summary>
    public const int Side = 28;

    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Modified), string> VerifiedHashes = new();

    /// <summary>File names of a split: (images, labels).</summary>
    public static (string Images, string Labels) FileNames(bool train) => train
        ? ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
        : ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    /// <summary>NuGet package that ships the Fashion-MNIST files into an application's output folder.</summary>
    public const string DataPackageId = "PixMix.Data.FashionMnist";

    /// <summary>
    /// Finds the Fashion-MNIST folder: <paramref name="folder"/> when given (the folder itself, or a data folder holding
    /// <c>fashion-mnist/</c>); else the folder named by the environment variable <c>PIXMIX_DATA</c> (same two forms);
    /// else the first <c>data/fashion-mnist</c> found walking up from <see cref="AppContext.BaseDirectory"/> (the
    /// application's output folder, where the <c>PixMix.Data.FashionMnist</c> package and the <c>pixmix</c> tool put
    /// it, then its parents, which inside the repository reach its <c>data/</c>); else <c>data/fashion-mnist</c> beside
    /// this assembly; else the <c>PixMix.Data.FashionMnist</c> package in the NuGet packages folder (where a notebook's
    /// <c>#r "nuget: PixMix.Data.FashionMnist, ..."</c> restores it without copying it anywhere): the version of this
    /// assembly's package when present, else the highest.
    /// </summary>
    public static string Locate(string? folder = null)
    {
        if (!string.IsNullOrEmpty(folder))
            return Candidate(folder) ?? throw new DirectoryNotFoundException($"'{Path.GetFullPath(folder)}' holds neither the Fashion-MNIST idx files ({IdxDataSet.ExpectedFiles}) nor a fashion-mnist folder with them.");
        var env = Environment.GetEnvironmentVariable(DataEnvironmentVariable);
        if (!string.IsNullOrEmpty(env))
            return Candidate(env) ?? throw new DirectoryNotFoundException($"{DataEnvironmentVariable}='{env}' holds neither the Fashion-MNIST files nor a fashion-mnist folder with them.");
        foreach (var probe in Probes())
            if (IsFashionMnistFolder(probe)) return probe;
        throw new DirectoryNotFoundException(NotFoundMessage());
    }

    internal static string NotFoundMessage()
        => $"Fashion-MNIST was not found: add the {DataPackageId} package to the application (it copies data/fashion-mnist to the output folder), " +
           $"pass its folder, or set {DataEnvironmentVariable}. Looked for data/fashion-mnist in '{AppContext.BaseDirectory}' and the folders above it, " +
           $"beside {typeof(FashionMnist).Assembly.GetName().Name}.dll and in the NuGet packages folder.";

    /// <summary>The folders <see cref="Locate"/> tries after the folder argument and the environment variable, in order.</summary>
    internal static IEnumerable<string> Probes()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            yield return Path.Combine(dir.FullName, "data", "fashion-mnist");
        var assembly = typeof(FashionMnist).Assembly.Location;
        if (!string.IsNullOrEmpty(assembly))
            yield return Path.Combine(Path.GetDirectoryName(assembly)!, "data", "fashion-mnist");
        foreach (var packaged in PackageFolders(NuGetPackagesFolder(), PackageVersion()))
            yield return packaged;
    }

    /// <summary>
    /// The data folders of the installed versions of <see cref="DataPackageId"/> under a NuGet packages folder:
    /// <paramref name="preferredVersion"/> first when installed, then the others from the highest version down.
    /// </summary>
    internal static IEnumerable<string> PackageFolders(string? packagesFolder, string? preferredVersion)
    {
        if (string.IsNullOrEmpty(packagesFolder)) return [];
        var root = Path.Combine(packagesFolder, DataPackageId.ToLowerInvariant());
        if (!Directory.Exists(root)) return [];
        var versions = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>()
            .OrderByDescending(v => v, Comparer<string>.Create(CompareVersions)).ToList();
        if (preferredVersion is not null && versions.Remove(preferredVersion.ToLowerInvariant())) versions.Insert(0, preferredVersion.ToLowerInvariant());
        return versions.Select(v => Path.Combine(root, v, "data", "fashion-mnist"));
    }

    /// <summary>Orders NuGet-style versions: numeric parts by value, a release after its pre-releases.</summary>
    internal static int CompareVersions(string a, string b)
    {
        static (Version Number, string? Label) Split(string v)
        {
            var dash = v.IndexOf('-');
            var number = dash < 0 ? v : v[..dash];
            return (Version.TryParse(number, out var parsed) ? parsed : new Version(0, 0), dash < 0 ? null : v[(dash + 1)..]);
        }
        var (na, la) = Split(a);
        var (nb, lb) = Split(b);
        int c = na.CompareTo(nb);
        if (c != 0) return c;
        if (la is null || lb is null) return la is null ? (lb is null ? 0 : 1) : -1;
        return string.Compare(la, lb, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>NuGet's packages folder: NUGET_PACKAGES, else ~/.nuget/packages.</summary>
    private static string? NuGetPackagesFolder()
    {
        var env = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (!string.IsNullOrEmpty(env)) return env;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".nuget", "packages");
    }

    /// <summary>This assembly's package version (its informational version without the source revision).</summary>
    private static string? PackageVersion()
    {
        var info = typeof(FashionMnist).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion;
        if (string.IsNullOrEmpty(info)) return null;
        var plus = info.IndexOf('+');
        return plus < 0 ? info : info[..plus];
    }

    private static string? Candidate(string path)
    {
        var full = Path.GetFullPath(path);
        if (IsFashionMnistFolder(full)) return full;
        var nested = Path.Combine(full, "fashion-mnist");
        return IsFashionMnistFolder(nested) ? nested : null;
    }

    private static bool IsFashionMnistFolder(string path) => IdxDataSet.LooksLikeIdxFolder(path);

    /// <summary>
    /// Opens a split (28x28 grey, labels 0..9, <see cref="ClassNames"/>), verifying its two files against SHA256SUMS
    /// when the folder has one.
    /// </summary>
    /// <param name="train">Training (60,000) or test (10,000) split.</param>
    /// <param name="folder">The Fashion-MNIST folder or a data folder holding it; null to <see cref="Locate"/> it.</param>
    public static IdxImageSource Open(bool train, string? folder = null)
        => (IdxImageSource)DataSet(folder).Open(train, new IdxDataSetOptions { KeepGrey = true });

    /// <summary>The Fashion-MNIST folder as an idx data set with Fashion-MNIST's class names.</summary>
    public static IdxDataSet DataSet(string? folder = null) => IdxDataSet.Discover(Locate(folder), ClassNames);

    /// <summary>
    /// Opens a split as 32x32 RGB images, the CIFAR input size: each 28x28 image gets a 2-pixel black border and its grey
    /// value copied to R, G and B (see <see cref="PaddedRgbImageSource"/>).
    /// </summary>
    public static PaddedRgbImageSource OpenAs32x32Rgb(bool train, string? folder = null) => new(Open(train, folder), padding: 2);

    /// <summary>
    /// Checks files of <paramref name="folder"/> against its SHA256SUMS (all files listed there when none are named).
    /// Results are cached per (path, length, modification time), so repeated loads hash each file once.
    /// </summary>
    public static void Verify(string folder, params string[] fileNames)
    {
        var sumsPath = Path.Combine(folder, ChecksumFileName);
        if (!File.Exists(sumsPath)) throw new FileNotFoundException($"Checksum file '{sumsPath}' is missing.", sumsPath);
        var expected = ReadChecksums(sumsPath);
        foreach (var name in fileNames.Length == 0 ? expected.Keys.ToArray() : fileNames)
        {
            if (!expected.TryGetValue(name, out var hash)) throw new InvalidDataException($"Checksum file '{sumsPath}' lists no checksum for '{name}'.");
            var path = Path.Combine(folder, name);
            if (!File.Exists(path)) throw new FileNotFoundException($"Data file '{path}' is missing.", path);
            var actual = Sha256(path);
            if (!string.Equals(actual, hash, StringComparison.Ordinal))
                throw new InvalidDataException($"Data file '{path}' fails its checksum: SHA-256 is {actual}, {ChecksumFileName} says {hash}. The file is corrupt or was replaced.");
        }
    }

    /// <summary>The file names and lower-case SHA-256 hashes of a <c>sha256sum</c>-format file; a malformed line is an error naming it.</summary>
    internal static Dictionary<string, string> ReadChecksums(string sumsPath)
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(sumsPath))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int space = line.IndexOfAny([' ', '\t']);
            if (space != 64) throw new InvalidDataException($"Checksum file '{sumsPath}' has a malformed line: '{line}'.");
            expected[line[(space + 1)..].TrimStart(' ', '\t', '*')] = line[..64].ToLowerInvariant();
        }
        return expected;
    }

    private static string Sha256(string path)
    {
        var info = new FileInfo(path);
        var key = (info.FullName, info.Length, info.LastWriteTimeUtc);
        if (VerifiedHashes.TryGetValue(key, out var cached)) return cached;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        VerifiedHashes[key] = hash;
        return hash;
    }
}
