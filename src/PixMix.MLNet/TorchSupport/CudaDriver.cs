using System.Runtime.InteropServices;
using System.Text;

namespace PixMix.MLNet.TorchSupport;

/// <summary>
/// The GPU's name and memory in use, from the NVIDIA driver's own library (<c>libcuda.so.1</c> / <c>nvcuda.dll</c>), which
/// every CUDA process has loaded.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 exposes neither <c>torch.cuda.get_device_name</c> nor the caching allocator's statistics
/// (<c>torch.cuda.max_memory_allocated</c>, <c>memory_reserved</c>): its native library exports only
/// <c>is_available</c>, <c>device_count</c>, <c>cudnn_is_available</c>, <c>synchronize</c> and the seeds. So the peak
/// memory reported here is the device's memory in use (<c>cuMemGetInfo</c>: total minus free), sampled after every
/// training step: what <c>nvidia-smi</c> shows, that is the CUDA context plus everything the caching allocator has
/// reserved, plus any other process's use of the same GPU. The PyTorch reference script samples the same quantity
/// (<c>torch.cuda.mem_get_info</c>) so the two compare like with like.
/// </remarks>
internal static class CudaDriver
{
    private static readonly Lazy<IntPtr> s_library = new(() =>
    {
        foreach (var name in OperatingSystem.IsWindows() ? new[] { "nvcuda.dll" } : ["libcuda.so.1", "libcuda.so"])
            if (NativeLibrary.TryLoad(name, out var handle)) return handle;
        return IntPtr.Zero;
    });

    /// <summary>The name of the current CUDA device (ordinal <paramref name="ordinal"/>), or null when the driver cannot say.</summary>
    internal static unsafe string? DeviceName(int ordinal = 0)
    {
        if (!TryExport("cuDeviceGet", out var get) || !TryExport("cuDeviceGetName", out var getName)) return null;
        int device;
        if (((delegate* unmanaged<int*, int, int>)get)(&device, ordinal) != 0) return null;
        var buffer = stackalloc byte[256];
        if (((delegate* unmanaged<byte*, int, int, int>)getName)(buffer, 256, device) != 0) return null;
        return Marshal.PtrToStringUTF8((IntPtr)buffer);
    }

    /// <summary>Bytes of device memory in use (total minus free) for the CUDA context current on this thread, or null.</summary>
    internal static unsafe long? MemoryInUse()
    {
        if (!TryExport("cuMemGetInfo_v2", out var info)) return null;
        nuint free, total;
        int status = ((delegate* unmanaged<nuint*, nuint*, int>)info)(&free, &total);
        return status == 0 ? (long)(total - free) : null;
    }

    private static bool TryExport(string name, out IntPtr address)
    {
        address = IntPtr.Zero;
        var library = s_library.Value;
        return library != IntPtr.Zero && NativeLibrary.TryGetExport(library, name, out address);
    }

    /// <summary>A short description of the CPU for reports: the model name from /proc/cpuinfo where there is one.</summary>
    internal static string CpuName()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                    if (line.StartsWith("model name", StringComparison.Ordinal))
                        return $"cpu ({line[(line.IndexOf(':') + 1)..].Trim()}, {Environment.ProcessorCount} logical cores)";
        }
        catch (IOException) { }
        return $"cpu ({RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} logical cores)";
    }
}
