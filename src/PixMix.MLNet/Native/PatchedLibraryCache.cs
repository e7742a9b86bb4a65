using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PixMix.LibTorchSharpFix;

namespace PixMix.MLNet.Native;

/// <summary>
/// A per-user cache of shared libraries whose need of one symbol version is marked weak. Each entry is a folder named by
/// a hash of the original library (path, size, modification time) and of the folders its dependencies come from; it
/// holds the patched copy and symbolic links to every other shared library of those folders, so that the copy's
/// <c>$ORIGIN</c> run path finds its dependencies. Entries are created atomically (built under a temporary name, then
/// renamed) and reused while they are intact. The original files are only read.
/// </summary>
internal static partial class PatchedLibraryCache
{
    /// <summary>
    /// Returns the path of the patched copy of <paramref name="library"/> in <paramref name="cacheRoot"/>, creating the
    /// entry when it is missing or damaged.
    /// </summary>
    /// <param name="cacheRoot">The cache's root folder; created when missing.</param>
    /// <param name="library">The shared library to copy and patch.</param>
    /// <param name="dependencyFolders">Folders whose shared libraries (<c>*.so</c>, <c>*.so.N</c>) are linked beside the copy; the first folder that has a name wins.</param>
    /// <param name="versionName">The version whose need is marked weak, e.g. <c>GLIBCXX_3.4.32</c>.</param>
    public static string GetOrCreate(string cacheRoot, string library, IReadOnlyList<string> dependencyFolders, string versionName)
    {
        ArgumentException.ThrowIfNullOrEmpty(cacheRoot);
        ArgumentException.ThrowIfNullOrEmpty(library);
        ArgumentNullException.ThrowIfNull(dependencyFolders);
        ArgumentException.ThrowIfNullOrEmpty(versionName);
        var source = new FileInfo(Path.GetFullPath(library));
        if (!source.Exists) throw new FileNotFoundException($"The library to patch, '{source.FullName}', does not exist.", source.FullName);

        var folders = dependencyFolders.Select(Path.GetFullPath).ToList();
        var entry = Path.Combine(Path.GetFullPath(cacheRoot), EntryName(source, folders, versionName));
        var patched = Path.Combine(entry, source.Name);
        if (IsIntact(entry, patched, versionName)) return patched;

        Directory.CreateDirectory(Path.GetDirectoryName(entry)!);
        var staging = $"{entry}.{Guid.NewGuid():N}.tmp";
        try
        {
            Build(staging, source, folders, versionName);
            Publish(staging, entry);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        if (!IsIntact(entry, patched, versionName))
            throw new IOException($"The patched library cache entry '{entry}' is incomplete after it was created.");
        return patched;
    }

    /// <summary>The entry's folder name: 16 hexadecimal digits of a SHA-256 over what the entry depends on.</summary>
    internal static string EntryName(FileInfo source, IReadOnlyList<string> folders, string versionName)
    {
        var key = new StringBuilder()
            .Append(source.FullName).Append('\n')
            .Append(source.Length).Append('\n')
            .Append(source.LastWriteTimeUtc.Ticks).Append('\n')
            .Append(versionName).Append('\n')
            .AppendJoin('\n', folders)
            .ToString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 8));
    }

    /// <summary>True for the names of shared libraries: <c>libx.so</c>, <c>libx.so.1</c>, <c>libx-8f2e.so.1.2</c>.</summary>
    internal static bool IsSharedLibraryName(string fileName) => SharedLibraryName().IsMatch(fileName);

    [GeneratedRegex(@"\.so(\.[0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SharedLibraryName();

    private static bool IsIntact(string entry, string patched, string versionName)
    {
        if (!File.Exists(patched)) return false;
        try
        {
            if (ElfSymbolVersions.FindVersionNeed(patched, versionName).Kind != VersionNeedKind.Weak) return false;
            foreach (var path in Directory.EnumerateFiles(entry))
            {
                var info = new FileInfo(path);
                if (info.LinkTarget is null) continue;
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !target.Exists) return false;
            }
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Build(string staging, FileInfo source, IReadOnlyList<string> folders, string versionName)
    {
        Directory.CreateDirectory(staging);
        var copy = Path.Combine(staging, source.Name);
        // A new file (owner-writable whatever the original's mode), written by streaming rather than in one buffer.
        using (var input = source.OpenRead())
        using (var output = new FileStream(copy, FileMode.CreateNew, FileAccess.Write))
            input.CopyTo(output);
        var before = ElfSymbolVersions.MarkVersionNeedWeak(copy, versionName);
        if (before.Kind is VersionNeedKind.NotApplicable or VersionNeedKind.NotNeeded)
            throw new InvalidDataException($"'{source.FullName}' has no need of {versionName} to mark weak ({before.Kind}).");

        var names = new HashSet<string>(StringComparer.Ordinal) { source.Name };
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder)) continue;
            foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(file);
                if (!IsSharedLibraryName(name) || !names.Add(name)) continue;
                File.CreateSymbolicLink(Path.Combine(staging, name), file);
            }
        }
    }

    /// <summary>Renames the staging folder to the entry; a damaged entry is first moved aside and removed.</summary>
    private static void Publish(string staging, string entry)
    {
        if (Directory.Exists(entry))
        {
            var aside = $"{entry}.{Guid.NewGuid():N}.old";
            try { Directory.Move(entry, aside); }
            catch (IOException) { /* Another process replaced or removed it meanwhile. */ }
            if (Directory.Exists(aside)) Directory.Delete(aside, recursive: true);
        }
        try
        {
            Directory.Move(staging, entry);
        }
        catch (IOException) when (Directory.Exists(entry))
        {
            // Another process published the same entry first; its content is equivalent (checked by the caller).
        }
    }
}
