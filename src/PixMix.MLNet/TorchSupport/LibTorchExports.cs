using System.Runtime.InteropServices;

namespace PixMix.MLNet.TorchSupport;

/// <summary>
/// The exported C++ functions of the loaded <c>libtorch_cpu</c>, found by their Itanium-mangled names, for the LibTorch
/// features TorchSharp 0.107 does not expose (autocast, cuDNN's benchmark mode). Linux and macOS only: on Windows the
/// names are MSVC-mangled and not bound.
/// </summary>
internal static class LibTorchExports
{
    /// <summary>
    /// The handle of the loaded libtorch_cpu (making TorchSharp load LibTorch first), or null with the reason in
    /// <paramref name="unavailable"/>; <paramref name="feature"/> names what needs it in that reason.
    /// </summary>
    internal static IntPtr? Open(string feature, out string unavailable)
    {
        unavailable = "";
        if (OperatingSystem.IsWindows())
        {
            unavailable = $"on Windows LibTorch's C++ functions for {feature} carry MSVC-mangled names that are not bound.";
            return null;
        }
        _ = TorchSharp.torch.get_num_threads();
        if (NativeLibrary.TryLoad(LibraryName, out var handle)) return handle;
        unavailable = $"{LibraryName} could not be found among the loaded libraries.";
        return null;
    }

    /// <summary>
    /// Binds <paramref name="feature"/>'s functions with <paramref name="bind"/> (which calls <see cref="Export"/>), or
    /// returns null with the reason in <paramref name="unavailable"/>: no loaded libtorch_cpu, Windows, or a symbol it
    /// lacks (then followed by <paramref name="missingHint"/>).
    /// </summary>
    internal static T? TryBind<T>(string feature, Func<IntPtr, T> bind, out string unavailable, string missingHint = "") where T : class
    {
        if (Open(feature, out unavailable) is not { } handle) return null;
        try
        {
            return bind(handle);
        }
        catch (EntryPointNotFoundException e)
        {
            unavailable = $"the loaded {LibraryName} lacks {e.Message}{missingHint}.";
            return null;
        }
    }

    private static string LibraryName => OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib" : "libtorch_cpu.so";

    /// <summary>The address of <paramref name="symbol"/>; throws <see cref="EntryPointNotFoundException"/> naming it when absent.</summary>
    internal static IntPtr Export(IntPtr handle, string symbol) =>
        NativeLibrary.TryGetExport(handle, symbol, out var address) ? address : throw new EntryPointNotFoundException(symbol);
}
