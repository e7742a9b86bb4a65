using System.Text.Json;

namespace PixMix.Notebooks.Tests;

/// <summary>
/// The assemblies a notebook gets from <c>#r "nuget: PixMix.MLNet, ..."</c>: the PixMix.MLNet package and the runtime
/// assemblies of every package it depends on, transitively. Read from this test assembly's <c>.deps.json</c>, which
/// lists the same dependency graph NuGet restores for the package, and resolved to the copies in the output folder.
/// </summary>
internal static class LibraryReferences
{
    public const string RootLibrary = "PixMix.MLNet";

    private static readonly Lazy<IReadOnlyList<string>> s_paths = new(Resolve);

    /// <summary>Absolute paths of the assemblies, PixMix.MLNet and PixMix.Imaging first.</summary>
    public static IReadOnlyList<string> Paths => s_paths.Value;

    /// <summary>The <c>#r</c> lines that stand for a notebook's setup cell.</summary>
    public static string SetupCell() => string.Join('\n', Paths.Select(p => $"#r \"{p}\""));

    private static IReadOnlyList<string> Resolve()
    {
        var folder = AppContext.BaseDirectory;
        var depsPath = Path.Combine(folder, typeof(LibraryReferences).Assembly.GetName().Name + ".deps.json");
        if (!File.Exists(depsPath)) throw new FileNotFoundException($"'{depsPath}' is missing; the library references of the notebooks cannot be resolved.", depsPath);
        using var deps = JsonDocument.Parse(File.ReadAllText(depsPath));
        var targetName = deps.RootElement.GetProperty("runtimeTarget").GetProperty("name").GetString()!;
        var libraries = deps.RootElement.GetProperty("targets").GetProperty(targetName);

        // Library keys are "<name>/<version>"; dependencies name "<name>": "<version>".
        var byName = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var lib in libraries.EnumerateObject()) byName[lib.Name[..lib.Name.IndexOf('/')]] = lib.Value;
        if (!byName.ContainsKey(RootLibrary)) throw new InvalidOperationException($"'{depsPath}' does not list {RootLibrary}; the test project must reference it.");

        var ordered = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<string>([RootLibrary]);
        while (pending.Count > 0)
        {
            var name = pending.Dequeue();
            if (!seen.Add(name) || !byName.TryGetValue(name, out var lib)) continue;
            if (lib.TryGetProperty("runtime", out var runtime))
                foreach (var asset in runtime.EnumerateObject())
                {
                    var file = Path.Combine(folder, Path.GetFileName(asset.Name));
                    // Assets the SDK dropped in favour of the shared framework's newer copy are not in the folder.
                    if (File.Exists(file) && !ordered.Contains(file, StringComparer.Ordinal)) ordered.Add(file);
                }
            if (lib.TryGetProperty("dependencies", out var dependencies))
                foreach (var dep in dependencies.EnumerateObject()) pending.Enqueue(dep.Name);
        }
        return ordered;
    }
}
