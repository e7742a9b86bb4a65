namespace PixMix.MLNet.Tests.Training;

/// <summary>
/// A test on TorchSharp 0.107.0's real <c>libLibTorchSharp.so</c> in the NuGet cache; skipped, saying so, where the
/// package is not restored there.
/// </summary>
public sealed class LibTorchSharpFileFactAttribute : FactAttribute
{
    public LibTorchSharpFileFactAttribute()
    {
        if (!File.Exists(PackagedLibrary))
            Skip = $"TorchSharp 0.107.0's native library is not in the NuGet cache ('{PackagedLibrary}'); restore the solution first";
    }

    /// <summary>The library in the NuGet cache ($NUGET_PACKAGES, else ~/.nuget/packages).</summary>
    public static string PackagedLibrary
    {
        get
        {
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
            if (string.IsNullOrEmpty(packages))
                packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        }
    }
}
