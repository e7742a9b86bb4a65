using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace PixMix.MLNet.Native;

/// <summary>
/// Makes TorchSharp's native library, <c>libLibTorchSharp.so</c>, loadable on Linux systems whose libstdc++ is older
/// than GCC 13 (Debian 12, Ubuntu 22.04), also where no build step could patch it, such as a .NET Interactive notebook
/// that loads TorchSharp straight from the NuGet cache.
/// </summary>
/// <remarks>
/// <para>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> declares a need for the symbol version <c>GLIBCXX_3.4.32</c>, which
/// older libstdc++ builds do not define, so the dynamic loader refuses the library and TorchSharp reports that the
/// application "doesn't contain a reference to libtorch-cpu-linux-x64". Only one symbol carries that version and
/// nothing calls it. The build (the <c>PixMix.LibTorchSharpFix</c> package's targets) marks the need weak in the output
/// copy; this class does the same at run time, with the same ELF patcher, for a library that the build did not touch.
/// </para>
/// <para>
/// When PixMix.MLNet is loaded, on Linux only, it finds the <c>libLibTorchSharp.so</c> that TorchSharp would load (in
/// the application's native search folders, beside <c>TorchSharp.dll</c>, in the TorchSharp package's
/// <c>runtimes/linux-x64/native</c> folder or in its consolidated <c>cpu</c> folder). Only when that file needs the
/// version strongly and the process's libstdc++ does not define it, it prepares a patched copy in the user's cache
/// (<c>$XDG_CACHE_HOME/pixmix/libtorchsharp</c>, else <c>~/.cache/pixmix/libtorchsharp</c>) beside symbolic links to
/// the LibTorch libraries, and loads it at once, before TorchSharp's own probe: that probe first loads <c>torch_cpu</c>
/// by name, which on a system with a LibTorch of its own (Debian's <c>libtorch</c> package, for example) resolves to
/// the system's library, whose symbols do not match; once the copy and its LibTorch are loaded, loads by name find them
/// by their sonames. TorchSharp's P/Invokes are also answered through <see cref="NativeLibrary.SetDllImportResolver"/>,
/// and its <c>NativeLibrary.TryLoad</c> probe of <c>LibTorchSharp</c> (which does not consult that resolver) through
/// <see cref="AssemblyLoadContext.ResolvingUnmanagedDll"/>. The NuGet cache is never
/// modified. Set the environment variable <c>PIXMIX_PATCH_LIBTORCHSHARP=false</c> to switch this off.
/// </para>
/// </remarks>
public static class TorchNativeLibrary
{
    /// <summary>The symbol version of libstdc++ that TorchSharp 0.107's native library needs.</summary>
    internal const string RequiredVersion = "GLIBCXX_3.4.32";

    /// <summary>The file name of TorchSharp's native library on Linux.</summary>
    internal const string LibraryFileName = "libLibTorchSharp.so";

    /// <summary>The environment variable that switches the run-time fix off (<c>false</c> or <c>0</c>).</summary>
    internal const string SwitchVariable = "PIXMIX_PATCH_LIBTORCHSHARP";

    private static readonly object s_gate = new();
    private static TorchNativeLibraryPlan? s_plan;
    private static Lazy<IntPtr>? s_handle;
    private static string s_status = "Not examined yet.";

    /// <summary>
    /// What the run-time fix found and did, in one or two sentences: that nothing was needed (and why), which patched
    /// copy answers TorchSharp's loads, or why the fix failed. Look here when TorchSharp reports that it cannot load
    /// its native library.
    /// </summary>
    public static string Status
    {
        get { lock (s_gate) return s_status; }
    }

    /// <summary>
    /// Prepares and loads the patched copy when one is needed (PixMix.MLNet does this when it is loaded; call this
    /// before TorchSharp's first use where PixMix.MLNet may not be loaded yet); returns <see cref="Status"/>. Safe to
    /// call more than once and on any operating system.
    /// </summary>
    /// <exception cref="Exception">Preparing or loading the patched copy failed; the message says why.</exception>
    public static string EnsureLoaded()
    {
        Lazy<IntPtr>? handle;
        lock (s_gate)
        {
            Examine();
            handle = s_handle;
        }
        _ = handle?.Value;
        return Status;
    }

    // Libraries are asked not to use module initializers (CA2255) because they run on load; this one must run before
    // TorchSharp's first native call, which happens in code that PixMix.MLNet does not control (for example a notebook
    // cell calling torch directly after loading PixMix.MLNet). Where nothing is needed it only checks a few files; it
    // never throws.
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "Must run before TorchSharp's first native load, which the library does not control.")]
    [ModuleInitializer]
    internal static void Initialize()
    {
        try
        {
            EnsureLoaded();
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    /// <summary>Decides what to do, once; registers the load and the resolvers when a patched copy is needed.</summary>
    private static void Examine()
    {
        if (s_plan is not null) return;
        if (!OperatingSystem.IsLinux())
        {
            s_plan = TorchNativeLibraryPlan.Nothing("Nothing to do: the GLIBCXX_3.4.32 problem exists on Linux only.");
        }
        else if (Environment.GetEnvironmentVariable(SwitchVariable) is { } value
                 && (value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0"))
        {
            s_plan = TorchNativeLibraryPlan.Nothing($"Switched off by {SwitchVariable}={value}.");
        }
        else
        {
            var torchSharp = typeof(torch).Assembly;
            var torchSharpFolder = string.IsNullOrEmpty(torchSharp.Location) ? null : Path.GetDirectoryName(torchSharp.Location);
            if (torchSharpFolder is null)
            {
                s_plan = TorchNativeLibraryPlan.Nothing("Nothing to do: TorchSharp.dll has no file location (single-file application).");
            }
            else
            {
                s_plan = TorchNativeLibraryPlan.Create(
                    TorchNativeLibraryPlan.SearchFolders(torchSharpFolder, AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string),
                    torchSharpFolder,
                    TorchNativeLibraryPlan.FindLibStdCxx,
                    RequiredVersion);
                if (s_plan.PatchNeeded) Register(torchSharp, s_plan);
            }
        }
        s_status = s_plan.Reason;
        Trace.WriteLine("PixMix.MLNet: " + s_plan.Reason);
    }

    private static void Register(Assembly torchSharp, TorchNativeLibraryPlan plan)
    {
        s_handle = new Lazy<IntPtr>(() => Load(plan), LazyThreadSafetyMode.ExecutionAndPublication);
        try
        {
            NativeLibrary.SetDllImportResolver(torchSharp, ResolveImport);
        }
        catch (InvalidOperationException)
        {
            // The application set its own resolver for TorchSharp; it takes precedence, and the load probe below
            // still makes the patched copy the loaded LibTorchSharp (later loads by name find it by its soname).
            Trace.WriteLine("PixMix.MLNet: TorchSharp already has a DllImport resolver; only its load probe is answered.");
        }
        (AssemblyLoadContext.GetLoadContext(torchSharp) ?? AssemblyLoadContext.Default).ResolvingUnmanagedDll += ResolveUnmanaged;
    }

    private static IntPtr Load(TorchNativeLibraryPlan plan)
    {
        try
        {
            var patched = PatchedLibraryCache.GetOrCreate(TorchNativeLibraryPlan.DefaultCacheRoot(), plan.Library!, plan.DependencyFolders, RequiredVersion);
            var handle = NativeLibrary.Load(patched);
            lock (s_gate)
                s_status = $"Loaded '{patched}', a copy of '{plan.Library}' whose {RequiredVersion} need is weak, because {plan.Reason}";
            Trace.WriteLine("PixMix.MLNet: " + Status);
            return handle;
        }
        catch (Exception e)
        {
            Fail(e);
            throw;
        }
    }

    private static void Fail(Exception e)
    {
        lock (s_gate)
            s_status = $"The run-time fix for TorchSharp's native library failed: {e.GetType().Name}: {e.Message}";
        Trace.TraceWarning("PixMix.MLNet: " + s_status);
    }

    private static bool IsLibTorchSharp(string name)
        => name is "LibTorchSharp" or "libLibTorchSharp" or LibraryFileName;

    private static IntPtr ResolveImport(string name, Assembly assembly, DllImportSearchPath? searchPath)
        => IsLibTorchSharp(name) ? TryGetHandle() : IntPtr.Zero;

    private static IntPtr ResolveUnmanaged(Assembly assembly, string name)
        => IsLibTorchSharp(name) && assembly == typeof(torch).Assembly ? TryGetHandle() : IntPtr.Zero;

    // A failure is recorded in Status and answered with "not resolved", so TorchSharp goes on with its own search and
    // reports its own error.
    private static IntPtr TryGetHandle()
    {
        try { return s_handle?.Value ?? IntPtr.Zero; }
        catch (Exception) { return IntPtr.Zero; }
    }
}
