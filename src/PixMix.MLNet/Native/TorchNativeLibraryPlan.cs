using PixMix.LibTorchSharpFix;

namespace PixMix.MLNet.Native;

/// <summary>
/// The decision of <see cref="TorchNativeLibrary"/>: which <c>libLibTorchSharp.so</c> TorchSharp would load, whether
/// it needs a patched copy, the folders of the libraries that copy depends on, and why.
/// </summary>
internal sealed class TorchNativeLibraryPlan
{
    private static readonly string[] s_systemLibraryFolders =
    [
        "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu",
        "/usr/lib64", "/lib64", "/usr/lib", "/lib",
    ];

    private TorchNativeLibraryPlan(bool patchNeeded, string? library, IReadOnlyList<string> dependencyFolders, string reason)
    {
        PatchNeeded = patchNeeded;
        Library = library;
        DependencyFolders = dependencyFolders;
        Reason = reason;
    }

    /// <summary>True when TorchSharp's loads of LibTorchSharp must be answered with a patched copy.</summary>
    public bool PatchNeeded { get; }

    /// <summary>The <c>libLibTorchSharp.so</c> that TorchSharp would load; null when none was found.</summary>
    public string? Library { get; }

    /// <summary>The folders whose shared libraries the patched copy links beside itself (its own folder first).</summary>
    public IReadOnlyList<string> DependencyFolders { get; }

    /// <summary>Why, in one sentence.</summary>
    public string Reason { get; }

    /// <summary>A plan that does nothing.</summary>
    public static TorchNativeLibraryPlan Nothing(string reason) => new(false, null, [], reason);

    /// <summary>
    /// Decides: the first <c>libLibTorchSharp.so</c> in <paramref name="searchFolders"/> is patched when it needs
    /// <paramref name="versionName"/> strongly and the libstdc++ that <paramref name="findLibStdCxx"/> finds (asked only
    /// then) does not define it (or none was found to ask, in which case a weak need is harmless).
    /// </summary>
    public static TorchNativeLibraryPlan Create(IEnumerable<string> searchFolders, string torchSharpFolder, Func<string?> findLibStdCxx, string versionName)
    {
        var folders = searchFolders.ToList();
        var library = folders.Select(f => Path.Combine(f, TorchNativeLibrary.LibraryFileName)).FirstOrDefault(File.Exists);
        if (library is null)
            return Nothing($"Nothing to do: no {TorchNativeLibrary.LibraryFileName} in {string.Join(", ", folders.Select(f => $"'{f}'"))}.");

        var need = ElfSymbolVersions.FindVersionNeed(library, versionName);
        switch (need.Kind)
        {
            case VersionNeedKind.NotApplicable:
                return Nothing($"Nothing to do: '{library}' is not a little-endian 64-bit ELF library.");
            case VersionNeedKind.NotNeeded:
                return Nothing($"Nothing to do: '{library}' does not need {versionName}.");
            case VersionNeedKind.Weak:
                return Nothing($"Nothing to do: the {versionName} need of '{library}' is already weak (patched by the build).");
        }

        // Only a library that needs the version strongly is worth looking for the process's libstdc++.
        var libStdCxx = findLibStdCxx();
        string reason;
        if (libStdCxx is null)
        {
            reason = $"no libstdc++.so.6 was found to check, and '{library}' needs {versionName}.";
        }
        else if (ElfSymbolVersions.DefinesVersion(libStdCxx, versionName))
        {
            return Nothing($"Nothing to do: '{libStdCxx}' defines {versionName}, which '{library}' needs.");
        }
        else
        {
            reason = $"'{libStdCxx}' does not define {versionName}, which '{library}' needs.";
        }
        return new TorchNativeLibraryPlan(true, library, DependencyFoldersFor(Path.GetDirectoryName(library)!, torchSharpFolder), reason);
    }

    /// <summary>
    /// Where TorchSharp's load of LibTorchSharp looks, in order: the application's native search folders (from its
    /// <c>.deps.json</c>), the folder of <c>TorchSharp.dll</c>, and in a NuGet package layout
    /// (<c>torchsharp/&lt;version&gt;/lib/&lt;tfm&gt;/TorchSharp.dll</c>) the package's <c>runtimes/linux-x64/native</c>
    /// folder and the <c>cpu</c> folder that TorchSharp consolidates its natives in.
    /// </summary>
    public static IReadOnlyList<string> SearchFolders(string torchSharpFolder, string? nativeSearchDirectories)
    {
        var folders = new List<string>();
        if (!string.IsNullOrEmpty(nativeSearchDirectories))
            folders.AddRange(nativeSearchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        folders.Add(torchSharpFolder);
        folders.Add(Path.Combine(torchSharpFolder, "..", "..", "runtimes", "linux-x64", "native"));
        folders.Add(Path.Combine(torchSharpFolder, "cpu"));
        return folders.Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f))).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The folders the patched copy links its neighbours from: the original's folder, then the first folder holding
    /// LibTorch (<c>libtorch_cpu.so</c>) of: the original's folder, the newest <c>libtorch-cpu-linux-x64</c> package
    /// beside the TorchSharp package, the <c>cpu</c> folder beside <c>TorchSharp.dll</c> (TorchSharp's own copies).
    /// With none (LibTorch comes from <c>LD_LIBRARY_PATH</c>), only the original's folder.
    /// </summary>
    public static IReadOnlyList<string> DependencyFoldersFor(string libraryFolder, string torchSharpFolder)
    {
        var folders = new List<string> { Path.GetFullPath(libraryFolder) };
        var candidates = new List<string> { libraryFolder };
        // torchsharp/<version>/lib/<tfm>/ -> the packages root, holding libtorch-cpu-linux-x64/<version>/runtimes/linux-x64/native.
        var packages = Path.GetFullPath(Path.Combine(torchSharpFolder, "..", "..", "..", ".."));
        var libTorchPackage = Path.Combine(packages, "libtorch-cpu-linux-x64");
        if (Directory.Exists(libTorchPackage))
        {
            candidates.AddRange(Directory.EnumerateDirectories(libTorchPackage)
                .Select(v => (Folder: v, Version: Version.TryParse(Path.GetFileName(v), out var parsed) ? parsed : null))
                .Where(v => v.Version is not null)
                .OrderByDescending(v => v.Version)
                .Select(v => Path.Combine(v.Folder, "runtimes", "linux-x64", "native")));
        }
        candidates.Add(Path.Combine(torchSharpFolder, "cpu"));
        var libTorch = candidates.FirstOrDefault(f => File.Exists(Path.Combine(f, "libtorch_cpu.so")));
        if (libTorch is not null)
        {
            libTorch = Path.GetFullPath(libTorch);
            if (!folders.Contains(libTorch, StringComparer.Ordinal)) folders.Add(libTorch);
        }
        return folders;
    }

    /// <summary>
    /// The libstdc++ this process uses: the one already mapped (<c>/proc/self/maps</c>), else the first
    /// <c>libstdc++.so.6</c> on <c>LD_LIBRARY_PATH</c> or in the usual system folders; null when none is found.
    /// </summary>
    public static string? FindLibStdCxx()
    {
        var mapped = FindMappedLibrary("/proc/self/maps", "libstdc++.so.6");
        if (mapped is not null) return mapped;
        var path = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(s_systemLibraryFolders)
            .Select(f => Path.Combine(f, "libstdc++.so.6"))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The path of the first mapping in a <c>/proc/&lt;pid&gt;/maps</c> file whose file name starts with <paramref name="soname"/>.</summary>
    internal static string? FindMappedLibrary(string mapsFile, string soname)
    {
        if (!File.Exists(mapsFile)) return null;
        foreach (var line in File.ReadLines(mapsFile))
        {
            // address perms offset dev inode [path]; the path is the rest of the line after the first '/'.
            int slash = line.IndexOf('/');
            if (slash < 0) continue;
            var path = line[slash..].TrimEnd();
            if (Path.GetFileName(path).StartsWith(soname, StringComparison.Ordinal) && File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>The cache root: <c>$XDG_CACHE_HOME/pixmix/libtorchsharp</c>, else <c>~/.cache/pixmix/libtorchsharp</c>, else under the temporary folder.</summary>
    public static string DefaultCacheRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "pixmix", "libtorchsharp");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home)) return Path.Combine(home, ".cache", "pixmix", "libtorchsharp");
        return Path.Combine(Path.GetTempPath(), $"pixmix-{Environment.UserName}", "libtorchsharp");
    }
}
