using static TorchSharp.torch.nn;

namespace PixMix.MLNet.Models;

/// <summary>
/// torchvision's ResNet basic block: 3x3 conv, BN, ReLU, 3x3 conv, BN, plus the shortcut (identity or
/// <c>downsample</c> = 1x1 conv + BN), then ReLU. Used by ResNet-18 and ResNet-34.
/// </summary>
public sealed class ResNetBasicBlock : Module<Tensor, Tensor>
{
    /// <summary>Output channels per input <c>planes</c>.</summary>
    public const int Expansion = 1;

#pragma warning disable IDE1006 // the field names are the torchvision state_dict names
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;
#pragma warning restore IDE1006

    /// <summary>Creates a block from <paramref name="inPlanes"/> to <paramref name="planes"/> channels.</summary>
    public ResNetBasicBlock(long inPlanes, long planes, long stride) : base(nameof(ResNetBasicBlock))
    {
        conv1 = Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(planes);
        conv2 = Conv2d(planes, planes, 3, stride: 1, padding: 1, bias: false);
        bn2 = BatchNorm2d(planes);
        if (stride != 1 || inPlanes != planes * Expansion)
            downsample = Sequential(Conv2d(inPlanes, planes * Expansion, 1, stride: stride, bias: false), BatchNorm2d(planes * Expansion));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var output = functional.relu(bn1.forward(conv1.forward(x)));
        output = bn2.forward(conv2.forward(output));
        var identity = downsample is null ? x : downsample.forward(x);
        return functional.relu(output + identity).MoveToOuterDisposeScope();
    }
}
