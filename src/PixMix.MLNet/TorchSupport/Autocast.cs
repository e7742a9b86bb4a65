namespace PixMix.MLNet.TorchSupport;

/// <summary>
/// LibTorch's autocast (the mechanism behind PyTorch's <c>torch.autocast</c>), switched on and off for the calling thread.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 exposes no autocast API (no <c>torch.autocast</c>, no <c>AutocastMode</c>, no <c>GradScaler</c>; its
/// native library exports no autocast entry point). LibTorch itself does: <c>at::autocast::set_autocast_enabled(DeviceType,
/// bool)</c>, <c>set_autocast_dtype</c>, <c>increment_nesting</c>/<c>decrement_nesting</c> and <c>clear_cache</c> are
/// exported C++ functions of <c>libtorch_cpu</c> with plain arguments (one-byte enums and a bool), so they are called here
/// through their Itanium-mangled names, exactly as Python's <c>torch.autocast.__enter__</c>/<c>__exit__</c> call them.
/// The autocast state is thread-local and TorchSharp's operators go through LibTorch's dispatcher, so operators that
/// TorchSharp calls on this thread inside the scope are autocast. Those signatures are LibTorch 2.4 and later (the
/// version TorchSharp 0.107 is built for is 2.10); on Windows (MSVC name mangling) this is not available and says so.
/// </remarks>
internal sealed class Autocast : IDisposable
{
    private const string Enabled = "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb";
    private const string IsEnabled = "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE";
    private const string SetDtype = "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE";
    private const string GetDtype = "_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE";
    private const string Increment = "_ZN2at8autocast17increment_nestingEv";
    private const string Decrement = "_ZN2at8autocast17decrement_nestingEv";
    private const string ClearCache = "_ZN2at8autocast11clear_cacheEv";

    private static readonly Lazy<Api?> s_api = new(Bind);
    private static string s_unavailable = "";

    private readonly Api _api;
    private readonly sbyte _device;
    private readonly bool _wasEnabled;
    private readonly sbyte _previousDtype;
    private bool _disposed;

    private Autocast(Api api, sbyte device, ScalarType dtype)
    {
        _api = api; _device = device;
        _wasEnabled = api.IsEnabled(device) != 0;
        _previousDtype = api.GetDtype(device);
        api.SetDtype(device, (sbyte)dtype);
        api.SetEnabled(device, 1);
        api.Increment();
    }

    /// <summary>Whether LibTorch's autocast could be bound in this process; if not, <see cref="UnavailableReason"/> says why.</summary>
    internal static bool IsAvailable => s_api.Value is not null;

    /// <summary>Why autocast is not available (empty when it is).</summary>
    internal static string UnavailableReason { get { _ = s_api.Value; return s_unavailable; } }

    /// <summary>Enters an autocast region for <paramref name="device"/> casting to <paramref name="dtype"/>; dispose to leave it.</summary>
    internal static Autocast Enter(DeviceType device, ScalarType dtype)
    {
        var api = s_api.Value ?? throw new NotSupportedException($"Mixed precision needs LibTorch's autocast, which is not available here: {s_unavailable}");
        return new Autocast(api, device == DeviceType.CUDA ? (sbyte)1 : (sbyte)0, dtype);
    }

    /// <summary>Whether autocast is on for <paramref name="device"/> on this thread.</summary>
    internal static bool IsEnabledFor(DeviceType device) =>
        s_api.Value is { } api && api.IsEnabled(device == DeviceType.CUDA ? (sbyte)1 : (sbyte)0) != 0;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // As torch.autocast.__exit__: the cache of cast weights lives for the outermost region only.
        if (_api.Decrement() == 0) _api.ClearCache();
        _api.SetEnabled(_device, _wasEnabled ? (byte)1 : (byte)0);
        _api.SetDtype(_device, _previousDtype);
    }

    private static Api? Bind()
    {
        var api = LibTorchExports.TryBind("autocast", handle =>
        {
            unsafe
            {
                return new Api(
                    (delegate* unmanaged<sbyte, byte, void>)LibTorchExports.Export(handle, Enabled),
                    (delegate* unmanaged<sbyte, byte>)LibTorchExports.Export(handle, IsEnabled),
                    (delegate* unmanaged<sbyte, sbyte, void>)LibTorchExports.Export(handle, SetDtype),
                    (delegate* unmanaged<sbyte, sbyte>)LibTorchExports.Export(handle, GetDtype),
                    (delegate* unmanaged<int>)LibTorchExports.Export(handle, Increment),
                    (delegate* unmanaged<int>)LibTorchExports.Export(handle, Decrement),
                    (delegate* unmanaged<void>)LibTorchExports.Export(handle, ClearCache));
            }
        }, out s_unavailable, missingHint: " (LibTorch older than 2.4?)");
        if (api is null && OperatingSystem.IsWindows()) s_unavailable += " Use Precision = Fp32.";
        return api;
    }

    private sealed unsafe class Api(
        delegate* unmanaged<sbyte, byte, void> setEnabled,
        delegate* unmanaged<sbyte, byte> isEnabled,
        delegate* unmanaged<sbyte, sbyte, void> setDtype,
        delegate* unmanaged<sbyte, sbyte> getDtype,
        delegate* unmanaged<int> increment,
        delegate* unmanaged<int> decrement,
        delegate* unmanaged<void> clearCache)
    {
        internal void SetEnabled(sbyte device, byte on) => setEnabled(device, on);
        internal byte IsEnabled(sbyte device) => isEnabled(device);
        internal void SetDtype(sbyte device, sbyte dtype) => setDtype(device, dtype);
        internal sbyte GetDtype(sbyte device) => getDtype(device);
        internal int Increment() => increment();
        internal int Decrement() => decrement();
        internal void ClearCache() => clearCache();
    }
}
