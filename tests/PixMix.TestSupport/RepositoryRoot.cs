namespace PixMix.TestSupport;

/// <summary>The repository's root folder: the nearest folder above the test assembly that holds <c>PixMix.MLNet.sln</c>.</summary>
public static class RepositoryRoot
{
    /// <summary>The root folder's full path.</summary>
    /// <exception cref="DirectoryNotFoundException">No folder above the test assembly holds the solution file.</exception>
    public static string Path => s_path.Value;

    private static readonly Lazy<string> s_path = new(Find);

    /// <summary>A path below the root, e.g. <c>Combine("tests", "PixMix.MLNet.Tests", "Fixtures")</c>.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "PixMix.MLNet.sln"))) return directory.FullName;
        throw new DirectoryNotFoundException($"The repository root (PixMix.MLNet.sln) was not found above '{AppContext.BaseDirectory}'.");
    }
}
