using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PixMix.MLNet.Models;

/// <summary>Weight initialisation shared by the networks (the reference's and torchvision's schemes).</summary>
internal static class ModelInitialization
{
    /// <summary>
    /// Convolutions: normal(0, sqrt(2 / (k*k*out))) (He, fan-out); BatchNorm: weight 1, bias 0; Linear: bias 0
    /// (its weight keeps the default uniform initialisation), as in the WideResNet reference and torchvision.
    /// </summary>
    internal static void InitializeLikeReference(nn.Module root)
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in root.named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    var shape = conv.weight!.shape; // out, in/groups, kh, kw
                    double fanOut = shape[0] * shape[2] * shape[3];
                    nn.init.normal_(conv.weight, 0, Math.Sqrt(2.0 / fanOut));
                    if (conv.bias is not null) nn.init.zeros_(conv.bias);
                    break;
                case BatchNorm2d bn:
                    if (bn.weight is not null) nn.init.ones_(bn.weight);
                    if (bn.bias is not null) nn.init.zeros_(bn.bias);
                    break;
                case Linear linear:
                    if (linear.bias is not null) nn.init.zeros_(linear.bias);
                    break;
            }
        }
    }
}
