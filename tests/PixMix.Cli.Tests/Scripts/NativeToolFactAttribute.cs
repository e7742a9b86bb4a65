namespace PixMix.Cli.Tests.Scripts;

/// <summary>
/// A test of the GPU-check scripts that builds small native libraries: it needs Linux x64 and bash, gcc, nm, readelf
/// and c++filt on the PATH (build-essential and binutils). Skipped, with the reason, elsewhere.
/// </summary>
public sealed class NativeToolFactAttribute : FactAttribute
{
    private static readonly string[] Tools = ["bash", "gcc", "nm", "readelf", "c++filt"];

    public NativeToolFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture
            != System.Runtime.InteropServices.Architecture.X64)
        {
            Skip = "needs Linux x64 (ELF x86-64 relocations)";
            return;
        }
        var missing = Tools.Where(t => !OnPath(t)).ToArray();
        if (missing.Length > 0) Skip = "needs " + string.Join(", ", missing) + " on the PATH (build-essential, binutils)";
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(d => File.Exists(Path.Combine(d, tool)));
}
