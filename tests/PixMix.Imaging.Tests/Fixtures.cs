namespace PixMix.Imaging.Tests;

internal static class Fixtures
{
    /// <summary>A fixture written by Fixtures/npy/gen_npy_fixtures.py.</summary>
    public static string Npy(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "npy", relative);

    /// <summary>The value numpy wrote at flat index i: (i * 37 + 11) % 256.</summary>
    public static byte Pattern(long i) => (byte)((i * 37 + 11) % 256);

    public static byte[] PatternBytes(int n)
    {
        var b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = Pattern(i);
        return b;
    }

    /// <summary>The repository's data folder (found upward from the test binaries).</summary>
    public static string RepoFashionMnist()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var p = Path.Combine(d.FullName, "data", "fashion-mnist");
            if (Directory.Exists(p)) return p;
        }
        throw new DirectoryNotFoundException("data/fashion-mnist not found above the test binaries.");
    }
}
