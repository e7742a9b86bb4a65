using static TorchSharp.torch.nn;

namespace PixMix.MLNet.Models;

/// <summary>
/// torchvision's ResNet bottleneck block (ResNet v1.5, stride on the 3x3 convolution): 1x1 conv, BN, ReLU,
/// 3x3 conv, BN, ReLU, 1x1 conv to 4x the width, BN, plus the shortcut, then ReLU. Used by ResNet-50 and deeper.
/// </summary>
public sealed class ResNetBottleneck : Module<Tensor, Tensor>
{
    /// <summary>Output channels per input <c>planes</c>.</summary>
    public const int Expansion = 4;

#pragma warning disable IDE1006 // the field names are the torchvision state_dict names
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly Sequential? downsample;
#pragma warning restore IDE1006

    /// <summary>Creates a block from <paramref name="inPlanes"/> channels to 4 x <paramref name="planes"/> channels.</summary>
    public ResNetBottleneck(long inPlanes, long planes, long stride) : base(nameof(ResNetBottleneck))
    {
        conv1 = Conv2d(inPlanes, planes, 1, bias: false);
        bn1 = BatchNorm2d(planes);
        conv2 = Conv2d(planes, planes, 3, stride: stride, padding: 1, bias: false);
        bn2 = BatchNorm2d(planes);
        conv3 = Conv2d(planes, planes * Expansion, 1, bias: false);
        bn3 = BatchNorm2d(planes * Expansion);
        if (stride != 1 || inPlanes != planes * Expansion)
            downsample = Sequential(Conv2d(inPlanes, planes * Expansion, 1, stride: stride, bias: false), BatchNorm2d(planes * Expansion));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var output = functional.relu(bn1.forward(conv1.forward(x)));
        output = functional.relu(bn2.forward(conv2.forward(output)));
        output = bn3.forward(conv3.forward(output));
        var identity = downsample is null ? x : downsample.forward(x);
        return functional.relu(output + identity).MoveToOuterDisposeScope();
    }
}
