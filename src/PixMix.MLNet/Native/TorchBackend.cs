namespace PixMix.MLNet.Native;

/// <summary>
/// The LibTorch backend is the application's choice, as with TorchSharp itself: PixMix.MLNet depends on the
/// <c>TorchSharp</c> package only. This checks, before the first network is built, that the application brought one,
/// and says which package to add when it did not.
/// </summary>
public static class TorchBackend
{
    private static volatile bool s_available;

    /// <summary>The packages an application adds for a backend, one line per platform.</summary>
    public const string PackageAdvice =
        "add one LibTorch backend package to the application: TorchSharp-cpu (CPU, any OS), or only your platform's libtorch-cpu-linux-x64, " +
        "libtorch-cpu-win-x64 or libtorch-cpu-osx-arm64 (all 2.10.0), or TorchSharp-cuda-linux / TorchSharp-cuda-windows (0.107.0) for NVIDIA GPUs";

    /// <summary>Loads the CPU backend, or throws <see cref="NotSupportedException"/> naming the packages to add.</summary>
    public static void Require()
    {
        if (s_available) return;
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            s_available = true;
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            throw new NotSupportedException(
                $"PixMix.MLNet found no usable LibTorch backend: {PackageAdvice}. The GLIBCXX loader fix says: {TorchNativeLibrary.Status} TorchSharp said: {FirstLine(e)}", e);
        }
    }

    private static string FirstLine(Exception e)
    {
        var inner = e is TypeInitializationException { InnerException: { } i } ? i : e;
        string message = inner.Message;
        int newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }
}
