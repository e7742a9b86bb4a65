using PixMix.MLNet.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PixMix.Cli.Benchmarks;

/// <summary>Networks with seeded random weights and BatchNorm layers that are not the identity, for comparing engines.</summary>
internal static class RandomizedNetworks
{
    /// <summary>
    /// The network of <paramref name="spec"/> with weights drawn from a generator seeded <paramref name="seed"/>, and
    /// BatchNorm running statistics and affine parameters drawn from it too: identity BatchNorm layers would hide a
    /// difference in how an engine applies them.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Create(ImageModelSpec spec, int seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        var network = spec.CreateModule(generator);
        using var noGrad = no_grad();
        foreach (var (_, module) in network.named_modules())
        {
            if (module is not BatchNorm2d bn) continue;
            long c = bn.running_mean!.shape[0];
            bn.running_mean.copy_(randn([c], generator: generator) * 0.2);
            bn.running_var!.copy_(rand([c], generator: generator) + 0.5);
            bn.weight!.copy_(randn([c], generator: generator) * 0.2 + 1);
            bn.bias!.copy_(randn([c], generator: generator) * 0.2);
        }
        return network;
    }
}
