using static TorchSharp.torch.nn;

namespace PixMix.MLNet.Models;

/// <summary>
/// The pre-activation basic block of a wide residual network: BN, ReLU, 3x3 conv, BN, ReLU, dropout, 3x3 conv, plus a
/// shortcut (identity, or a 1x1 convolution of the pre-activated input when the widths differ).
/// Parameter names: bn1, conv1, bn2, conv2, conv_shortcut.
/// </summary>
public sealed class WideBasicBlock : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // the field names are the PyTorch state_dict names
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv2;
    private readonly Conv2d? conv_shortcut;
#pragma warning restore IDE1006
    private readonly double _dropout;
    private readonly Generator? _generator;

    /// <summary>Creates a block from <paramref name="inPlanes"/> to <paramref name="outPlanes"/> channels.</summary>
    /// <param name="inPlanes">Input channels.</param>
    /// <param name="outPlanes">Output channels.</param>
    /// <param name="stride">Stride of the first convolution and of the shortcut.</param>
    /// <param name="dropout">Dropout probability between the convolutions.</param>
    /// <param name="generator">Generator of the dropout masks (null: torch's global generator).</param>
    public WideBasicBlock(long inPlanes, long outPlanes, long stride, double dropout, Generator? generator = null) : base(nameof(WideBasicBlock))
    {
        bn1 = BatchNorm2d(inPlanes);
        conv1 = Conv2d(inPlanes, outPlanes, 3, stride: stride, padding: 1, bias: false);
        bn2 = BatchNorm2d(outPlanes);
        conv2 = Conv2d(outPlanes, outPlanes, 3, stride: 1, padding: 1, bias: false);
        if (inPlanes != outPlanes)
            conv_shortcut = Conv2d(inPlanes, outPlanes, 1, stride: stride, padding: 0L, bias: false);
        _dropout = dropout;
        _generator = generator;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var preActivated = functional.relu(bn1.forward(x));
        var output = functional.relu(bn2.forward(conv1.forward(preActivated)));
        output = ModelInitialization.Dropout(output, _dropout, training, _generator);
        output = conv2.forward(output);
        var shortcut = conv_shortcut is null ? x : conv_shortcut.forward(preActivated);
        return (shortcut + output).MoveToOuterDisposeScope();
    }
}
