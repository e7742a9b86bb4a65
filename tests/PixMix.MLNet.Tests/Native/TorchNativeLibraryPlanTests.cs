using PixMix.MLNet.Training;
using PixMix.MLNet.Native;
using PixMix.TestSupport;

namespace PixMix.MLNet.Tests.Training;

public class TorchNativeLibraryPlanTests
{
    private const string Version = "GLIBCXX_3.4.32";

    /// <summary>A NuGet package folder: torchsharp/0.107.0 (TorchSharp.dll's folder and the native folder) and LibTorch packages.</summary>
    private sealed class Packages : IDisposable
    {
        public readonly TempFolder Folder = new();

        public string TorchSharpFolder => Folder.File("torchsharp", "0.107.0", "lib", "net8.0");
        public string NativeFolder => Folder.File("torchsharp", "0.107.0", "runtimes", "linux-x64", "native");
        public string LibTorchFolder(string version) => Folder.File("libtorch-cpu-linux-x64", version, "runtimes", "linux-x64", "native");

        public Packages(ushort flags = 0)
        {
            Directory.CreateDirectory(TorchSharpFolder);
            Folder.Write(Path.Combine(NativeFolder, "libLibTorchSharp.so"), TestElfFile.LibTorchSharpLike(flags, out _));
        }

        public string LibStdCxx(params string[] versions) => Folder.Write($"system-{string.Join('-', versions)}/libstdc++.so.6", TestElfFile.Defining(versions));

        public TorchNativeLibraryPlan Plan(string? libStdCxx)
            => TorchNativeLibraryPlan.Create(TorchNativeLibraryPlan.SearchFolders(TorchSharpFolder, null), TorchSharpFolder, () => libStdCxx, Version);

        public void Dispose() => Folder.Dispose();
    }

    [Fact]
    public void PatchesWhenTheLibraryNeedsAVersionTheSystemLacks()
    {
        using var packages = new Packages();
        var plan = packages.Plan(packages.LibStdCxx("GLIBCXX_3.4", "GLIBCXX_3.4.30"));
        Assert.True(plan.PatchNeeded);
        Assert.Equal(Path.Combine(packages.NativeFolder, "libLibTorchSharp.so"), plan.Library);
        Assert.Contains("does not define GLIBCXX_3.4.32", plan.Reason);
    }

    [Fact]
    public void DoesNothingWhenTheSystemDefinesTheVersion()
    {
        using var packages = new Packages();
        var plan = packages.Plan(packages.LibStdCxx("GLIBCXX_3.4", "GLIBCXX_3.4.30", "GLIBCXX_3.4.32", "GLIBCXX_3.4.33"));
        Assert.False(plan.PatchNeeded);
        Assert.Null(plan.Library);
        Assert.StartsWith("Nothing to do", plan.Reason);
        Assert.Contains("defines GLIBCXX_3.4.32", plan.Reason);
    }

    [Fact]
    public void DoesNothingWhenTheLibraryIsAlreadyPatchedOrAbsent()
    {
        using var patched = new Packages(TestElfFile.Weak);
        var plan = patched.Plan(patched.LibStdCxx("GLIBCXX_3.4"));
        Assert.False(plan.PatchNeeded);
        Assert.Contains("already weak", plan.Reason);
        // A patched library decides alone: the process's libstdc++ is not even looked for.
        int lookups = 0;
        TorchNativeLibraryPlan.Create(TorchNativeLibraryPlan.SearchFolders(patched.TorchSharpFolder, null), patched.TorchSharpFolder,
            () => { lookups++; return null; }, Version);
        Assert.Equal(0, lookups);

        using var empty = new TempFolder();
        var none = TorchNativeLibraryPlan.Create([empty.Path], empty.Path, () => null, Version);
        Assert.False(none.PatchNeeded);
        Assert.Contains("no libLibTorchSharp.so", none.Reason);
    }

    [Fact]
    public void PatchesWhenNoLibStdCxxCanBeFoundToAsk()
    {
        using var packages = new Packages();
        var plan = packages.Plan(libStdCxx: null);
        Assert.True(plan.PatchNeeded);
        Assert.Contains("no libstdc++.so.6 was found", plan.Reason);
    }

    [Fact]
    public void TheFirstLibraryOfTheSearchOrderDecides()
    {
        using var packages = new Packages();
        // An already patched copy in the application's native search folder (a build output) comes first.
        var output = packages.Folder.Write("app/runtimes/linux-x64/native/libLibTorchSharp.so", TestElfFile.LibTorchSharpLike(TestElfFile.Weak, out _));
        var folders = TorchNativeLibraryPlan.SearchFolders(packages.TorchSharpFolder, Path.GetDirectoryName(output));
        var plan = TorchNativeLibraryPlan.Create(folders, packages.TorchSharpFolder, () => packages.LibStdCxx("GLIBCXX_3.4"), Version);
        Assert.False(plan.PatchNeeded);
        Assert.Contains(output, plan.Reason);
    }

    [Fact]
    public void SearchFoldersFollowTheLoadOrder()
    {
        var torchSharp = Path.Combine(Path.GetTempPath(), "packages", "torchsharp", "0.107.0", "lib", "net8.0");
        var app = Path.Combine(Path.GetTempPath(), "app");
        var folders = TorchNativeLibraryPlan.SearchFolders(torchSharp, $"{app}{Path.PathSeparator}{torchSharp}{Path.PathSeparator}");
        Assert.Equal(
        [
            app,
            torchSharp,
            Path.Combine(Path.GetTempPath(), "packages", "torchsharp", "0.107.0", "runtimes", "linux-x64", "native"),
            Path.Combine(torchSharp, "cpu"),
        ], folders);
    }

    [Fact]
    public void LinksTheNewestLibTorchPackageByVersionOrder()
    {
        using var packages = new Packages();
        foreach (var version in new[] { "2.9.1", "2.10.0", "not-a-version" })
            packages.Folder.Write(Path.Combine(packages.LibTorchFolder(version), "libtorch_cpu.so"), [1]);
        packages.Folder.Write(Path.Combine(packages.TorchSharpFolder, "cpu", "libtorch_cpu.so"), [1]);
        var folders = TorchNativeLibraryPlan.DependencyFoldersFor(packages.NativeFolder, packages.TorchSharpFolder);
        // "2.10.0" sorts before "2.9.1" as text; as a version it is the newer one.
        Assert.Equal([packages.NativeFolder, packages.LibTorchFolder("2.10.0")], folders);
    }

    [Fact]
    public void LinksTorchSharpsConsolidatedFolderWithoutAPackageAndNothingMoreWhenTheLibraryHasLibTorchBesideIt()
    {
        using var packages = new Packages();
        var cpu = Path.Combine(packages.TorchSharpFolder, "cpu");
        packages.Folder.Write(Path.Combine(cpu, "libtorch_cpu.so"), [1]);
        Assert.Equal([packages.NativeFolder, cpu], TorchNativeLibraryPlan.DependencyFoldersFor(packages.NativeFolder, packages.TorchSharpFolder));

        packages.Folder.Write(Path.Combine(packages.NativeFolder, "libtorch_cpu.so"), [1]);
        Assert.Equal([packages.NativeFolder], TorchNativeLibraryPlan.DependencyFoldersFor(packages.NativeFolder, packages.TorchSharpFolder));

        using var bare = new TempFolder();
        Assert.Equal([bare.Path], TorchNativeLibraryPlan.DependencyFoldersFor(bare.Path, bare.File("lib")));
    }

    [Fact]
    public void FindsAMappedLibraryInAMapsFile()
    {
        using var folder = new TempFolder();
        var lib = folder.Write("usr lib/libstdc++.so.6.0.30", [1]);
        var maps = folder.Write("maps", System.Text.Encoding.UTF8.GetBytes(
            "55d0c0a00000-55d0c0a01000 r--p 00000000 fe:00 1 /usr/bin/dotnet\n" +
            "7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n" +
            "7f22cae00000-7f22cae99000 r--p 00000000 fe:00 332688 " + lib + "\n" +
            "7ffd1000000-7ffd1001000 r--p 00000000 00:00 0 [vdso]\n"));
        Assert.Equal(lib, TorchNativeLibraryPlan.FindMappedLibrary(maps, "libstdc++.so.6"));
        Assert.Null(TorchNativeLibraryPlan.FindMappedLibrary(maps, "libgomp.so.1"));
        Assert.Null(TorchNativeLibraryPlan.FindMappedLibrary(folder.File("no-maps"), "libstdc++.so.6"));
    }

    [LinuxFact]
    public void InAnApplicationBuiltFromTheRepositoryTheModuleInitializerDoesNothing()
    {
        // This test assembly is such an application: its build put TorchSharp's native library (patched by the build
        // where the system needs it) in its native search folder, so the run-time fix must stand aside.
        var status = TorchNativeLibrary.Status;
        Assert.StartsWith("Nothing to do", status);
        Assert.Equal(status, TorchNativeLibrary.EnsureLoaded());
        Assert.DoesNotContain(".nuget", status);
    }
}
