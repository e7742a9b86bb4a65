using static TorchSharp.torch.nn;

namespace PixMix.MLNet.Models;

/// <summary>
/// ResNet with torchvision's layout and state_dict names (conv1, bn1, layer1..layer4, fc): a 7x7 stride-2 stem,
/// 3x3 stride-2 max pooling, four stages (64, 128, 256, 512 planes; strides 1, 2, 2, 2), global average pooling and a
/// linear layer. Accepts any channel count and any input of at least 28 x 28 pixels.
/// </summary>
public sealed class ResNet : Module<Tensor, Tensor>
{
    /// <summary>The smallest input side the network accepts.</summary>
    public const int MinimumInputSize = 28;

#pragma warning disable IDE1006 // the field names are the torchvision state_dict names
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly Linear fc;
#pragma warning restore IDE1006

    private ResNet(bool bottleneck, int[] blocks, int classes, int inChannels, Generator? generator) : base(bottleneck ? "ResNetBottleneck" : "ResNetBasic")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        int expansion = bottleneck ? ResNetBottleneck.Expansion : ResNetBasicBlock.Expansion;
        long inPlanes = 64;
        conv1 = Conv2d(inChannels, 64, 7, stride: 2, padding: 3, bias: false);
        bn1 = BatchNorm2d(64);
        maxpool = MaxPool2d(3, stride: 2, padding: 1);
        layer1 = MakeStage(bottleneck, ref inPlanes, 64, blocks[0], 1);
        layer2 = MakeStage(bottleneck, ref inPlanes, 128, blocks[1], 2);
        layer3 = MakeStage(bottleneck, ref inPlanes, 256, blocks[2], 2);
        layer4 = MakeStage(bottleneck, ref inPlanes, 512, blocks[3], 2);
        fc = Linear(512L * expansion, classes);
        RegisterComponents();
        ModelInitialization.InitializeLikeReference(this, generator);
    }

    /// <summary>ResNet-18: basic blocks [2, 2, 2, 2]; initial weights from <paramref name="generator"/> (null: torch's global one).</summary>
    public static ResNet ResNet18(int classes, int inChannels = 3, Generator? generator = null) => new(false, [2, 2, 2, 2], classes, inChannels, generator);

    /// <summary>ResNet-50: bottleneck blocks [3, 4, 6, 3]; initial weights from <paramref name="generator"/> (null: torch's global one).</summary>
    public static ResNet ResNet50(int classes, int inChannels = 3, Generator? generator = null) => new(true, [3, 4, 6, 3], classes, inChannels, generator);

    private static Sequential MakeStage(bool bottleneck, ref long inPlanes, long planes, int blocks, long stride)
    {
        var modules = new Module<Tensor, Tensor>[blocks];
        long expansion = bottleneck ? ResNetBottleneck.Expansion : ResNetBasicBlock.Expansion;
        for (int i = 0; i < blocks; i++)
        {
            long s = i == 0 ? stride : 1;
            modules[i] = bottleneck ? new ResNetBottleneck(inPlanes, planes, s) : new ResNetBasicBlock(inPlanes, planes, s);
            inPlanes = planes * expansion;
        }
        return Sequential(modules);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var output = maxpool.forward(functional.relu(bn1.forward(conv1.forward(x))));
        output = layer1.forward(output);
        output = layer2.forward(output);
        output = layer3.forward(output);
        output = layer4.forward(output);
        output = functional.adaptive_avg_pool2d(output, 1).flatten(1);
        return fc.forward(output).MoveToOuterDisposeScope();
    }
}
