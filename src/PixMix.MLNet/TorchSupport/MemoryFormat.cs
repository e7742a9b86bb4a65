namespace PixMix.MLNet.TorchSupport;

/// <summary>
/// Channels-last (NHWC) memory format for 4-d tensors, built from strides.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 defines the enum <c>memory_format.channels_last</c> but no method takes it (no
/// <c>Tensor.contiguous(memory_format)</c>, <c>to(memory_format)</c> or <c>Module.to(memory_format)</c>). A tensor is
/// channels-last when its strides are those of NHWC storage with NCHW sizes, which is what
/// <c>x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)</c> gives; LibTorch infers the memory format from the strides
/// (cuDNN then picks NHWC kernels, and element-wise operators and batch norm keep the format), exactly as it does for
/// a tensor made by PyTorch's <c>x.to(memory_format=torch.channels_last)</c>. Parameters are converted in place with
/// <c>set_</c>, as <c>Module.to(memory_format=...)</c> does.
/// </remarks>
internal static class MemoryFormat
{
    /// <summary>The 4-d tensor in channels-last memory format (the same values; a copy unless it already is).</summary>
    internal static Tensor ToChannelsLast(Tensor x) =>
        x.dim() == 4 && !IsChannelsLast(x) ? x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : x;

    /// <summary>Whether a 4-d tensor's strides are those of channels-last storage.</summary>
    internal static bool IsChannelsLast(Tensor x)
    {
        if (x.dim() != 4) return false;
        var size = x.shape;
        var stride = x.stride();
        long c = size[1], h = size[2], w = size[3];
        // As in LibTorch, the stride of a dimension of size 1 does not matter (a 1x1 kernel is both formats at once).
        return Fits(1, 1) && Fits(3, c) && Fits(2, w * c) && Fits(0, h * w * c);
        bool Fits(int dimension, long expected) => size[dimension] == 1 || stride[dimension] == expected;
    }

    /// <summary>Converts every 4-d parameter and buffer of <paramref name="module"/> to channels-last (true) or contiguous (false) in place.</summary>
    internal static void Convert(nn.Module module, bool channelsLast)
    {
        using var noGrad = no_grad();
        foreach (var p in module.parameters()) ConvertInPlace(p, channelsLast);
        foreach (var b in module.buffers()) ConvertInPlace(b, channelsLast);
    }

    /// <summary>Converts one 4-d tensor to channels-last (true) or contiguous (false) in place; other tensors are left as they are.</summary>
    internal static void ConvertInPlace(Tensor t, bool channelsLast)
    {
        if (t.dim() != 4) return;
        if (channelsLast ? IsChannelsLast(t) : t.is_contiguous()) return;
        using var converted = channelsLast ? t.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : t.contiguous();
        t.set_(converted);
    }
}
