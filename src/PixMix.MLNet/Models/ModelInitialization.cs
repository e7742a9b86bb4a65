namespace PixMix.MLNet.Models;

/// <summary>Weight initialisation and dropout shared by the networks, drawing from an explicit generator when given.</summary>
internal static class ModelInitialization
{
    /// <summary>
    /// Convolutions: normal(0, sqrt(2 / (k*k*out))) (He, fan-out); BatchNorm: weight 1, bias 0; Linear: weight
    /// uniform(+-1/sqrt(fan_in)) (PyTorch's default), bias 0 -- as in the WideResNet reference and torchvision.
    /// With <paramref name="generator"/> the result depends only on it, not on torch's global generator (which other
    /// threads of the process may use concurrently). (The tensor methods are used: TorchSharp 0.107's nn.init functions
    /// ignore their generator argument.)
    /// </summary>
    internal static void InitializeLikeReference(nn.Module root, Generator? generator)
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in root.named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    var shape = conv.weight!.shape; // out, in/groups, kh, kw
                    double fanOut = shape[0] * shape[2] * shape[3];
                    conv.weight.normal_(0, Math.Sqrt(2.0 / fanOut), generator);
                    if (conv.bias is not null) nn.init.zeros_(conv.bias);
                    break;
                case BatchNorm2d bn:
                    if (bn.weight is not null) nn.init.ones_(bn.weight);
                    if (bn.bias is not null) nn.init.zeros_(bn.bias);
                    break;
                case Linear linear:
                    double bound = 1.0 / Math.Sqrt(linear.weight!.shape[1]);
                    linear.weight.uniform_(-bound, bound, generator);
                    if (linear.bias is not null) nn.init.zeros_(linear.bias);
                    break;
            }
        }
    }

    /// <summary>
    /// Inverted dropout. Draws its mask from <paramref name="generator"/> when it lives on the tensor's device, otherwise
    /// from torch's global generator.
    /// </summary>
    internal static Tensor Dropout(Tensor x, double p, bool training, Generator? generator)
    {
        if (!training || p <= 0) return x;
        if (generator is null || generator.device.type != x.device.type)
            return nn.functional.dropout(x, p, training);
        using var mask = empty_like(x).bernoulli_(1 - p, generator);
        return x * mask / (1 - p);
    }
}
