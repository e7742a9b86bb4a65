namespace PixMix.MLNet.TorchSupport;

/// <summary>
/// cuDNN's benchmark mode, PyTorch's <c>torch.backends.cudnn.benchmark</c>: on the first convolution of each input shape
/// cuDNN times its algorithms and keeps the fastest for that shape.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 exposes <c>backends.cudnn.allow_tf32</c> but not <c>benchmark</c>. The flag is LibTorch's global
/// context setting <c>at::globalContext().setBenchmarkCuDNN(bool)</c>, exported by <c>libtorch_cpu</c> with the same
/// mangled names from LibTorch 1.x to 2.10, so it is set here through them (<see cref="LibTorchExports"/>). It is a
/// process-wide setting, as in PyTorch; it has no effect on the CPU.
/// </remarks>
internal static class CudnnBenchmark
{
    private const string GlobalContext = "_ZN2at13globalContextEv";
    private const string SetBenchmark = "_ZN2at7Context17setBenchmarkCuDNNEb";
    private const string GetBenchmark = "_ZNK2at7Context14benchmarkCuDNNEv";

    private static readonly Lazy<Api?> s_api = new(Bind);
    private static string s_unavailable = "";

    /// <summary>Whether the flag could be bound in this process; if not, <see cref="UnavailableReason"/> says why.</summary>
    internal static bool IsAvailable => s_api.Value is not null;

    /// <summary>Why the flag is not available (empty when it is).</summary>
    internal static string UnavailableReason { get { _ = s_api.Value; return s_unavailable; } }

    /// <summary>LibTorch's current setting; throws <see cref="NotSupportedException"/> where it cannot be bound.</summary>
    internal static bool Enabled
    {
        get => Require().Get();
        set => Require().Set(value);
    }

    /// <summary>Sets the flag to <paramref name="on"/> until the returned scope is disposed (then the previous value comes back).</summary>
    internal static IDisposable Use(bool on)
    {
        var api = Require();
        bool previous = api.Get();
        api.Set(on);
        return new Restore(api, previous);
    }

    private static Api Require() =>
        s_api.Value ?? throw new NotSupportedException($"cuDNN's benchmark mode cannot be set here: {s_unavailable}");

    private static Api? Bind() => LibTorchExports.TryBind("cuDNN's benchmark mode", handle =>
    {
        unsafe
        {
            var context = ((delegate* unmanaged<IntPtr>)LibTorchExports.Export(handle, GlobalContext))();
            return new Api(context,
                (delegate* unmanaged<IntPtr, byte, void>)LibTorchExports.Export(handle, SetBenchmark),
                (delegate* unmanaged<IntPtr, byte>)LibTorchExports.Export(handle, GetBenchmark));
        }
    }, out s_unavailable);

    private sealed unsafe class Api(IntPtr context, delegate* unmanaged<IntPtr, byte, void> set, delegate* unmanaged<IntPtr, byte> get)
    {
        internal void Set(bool on) => set(context, on ? (byte)1 : (byte)0);
        internal bool Get() => get(context) != 0;
    }

    private sealed class Restore(Api api, bool previous) : IDisposable
    {
        private bool _done;
        public void Dispose()
        {
            if (_done) return;
            _done = true;
            api.Set(previous);
        }
    }
}
