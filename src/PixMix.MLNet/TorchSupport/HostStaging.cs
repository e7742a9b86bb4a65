using System.Runtime.InteropServices;

namespace PixMix.MLNet.TorchSupport;

/// <summary>Writes a batch from managed memory into a host tensor's own storage (the pinned staging buffer of the CUDA path).</summary>
internal static class HostStaging
{
    /// <summary>
    /// Copies <paramref name="values"/> to the first elements of <paramref name="destination"/>, a contiguous CPU tensor
    /// of element type <typeparamref name="T"/>, in place: <c>Tensor.bytes</c> is a view of the tensor's storage, so
    /// the tensor (pinned or not) holds the values afterwards without another copy.
    /// </summary>
    internal static void CopyInto<T>(Tensor destination, ReadOnlySpan<T> values) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.device_type != DeviceType.CPU || !destination.is_contiguous())
            throw new ArgumentException($"The staging tensor must be a contiguous CPU tensor; it is on {destination.device_type}, contiguous: {destination.is_contiguous()}.", nameof(destination));
        var storage = MemoryMarshal.Cast<byte, T>(destination.bytes);
        if (storage.Length < values.Length)
            throw new ArgumentException($"The staging tensor holds {storage.Length} elements; {values.Length} do not fit.", nameof(values));
        values.CopyTo(storage);
    }
}
