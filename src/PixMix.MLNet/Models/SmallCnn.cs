using static TorchSharp.torch.nn;

namespace PixMix.MLNet.Models;

/// <summary>
/// A small, fast convolutional network (about 145k parameters with 10 classes, about 6M multiply-adds per 28 x 28
/// image) for tests and CPU demonstrations: 3x3 conv-BN-ReLU layers of 16 | 32, 32 | 64, 64 | 128 channels with
/// 2x2 max pooling at each bar, global average pooling, dropout and a linear layer. Any channel count, any input of
/// at least 8 x 8.
/// </summary>
public sealed class SmallCnn : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state_dict names
    private readonly Sequential features;
    private readonly Linear fc;
#pragma warning restore IDE1006
    private readonly double _dropout;
    private readonly Generator? _generator;

    /// <summary>Creates the network.</summary>
    /// <param name="classes">Number of output classes.</param>
    /// <param name="inChannels">Number of input channels.</param>
    /// <param name="dropout">Dropout probability before the linear layer, in [0, 1).</param>
    /// <param name="generator">Generator of the initial weights and the dropout masks (null: torch's global generator).</param>
    public SmallCnn(int classes, int inChannels = 3, double dropout = 0.0, Generator? generator = null) : base(nameof(SmallCnn))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout must be in [0, 1).");
        features = Sequential(
            ConvBnRelu(inChannels, 16), MaxPool2d(2),
            ConvBnRelu(16, 32), ConvBnRelu(32, 32), MaxPool2d(2),
            ConvBnRelu(32, 64), ConvBnRelu(64, 64), MaxPool2d(2),
            ConvBnRelu(64, 128));
        fc = Linear(128, classes);
        _dropout = dropout;
        _generator = generator;
        RegisterComponents();
        ModelInitialization.InitializeLikeReference(this, generator);
    }

    private static Sequential ConvBnRelu(long inChannels, long outChannels) =>
        Sequential(Conv2d(inChannels, outChannels, 3, padding: 1, bias: false), BatchNorm2d(outChannels), ReLU());

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var output = functional.adaptive_avg_pool2d(features.forward(x), 1).flatten(1);
        output = ModelInitialization.Dropout(output, _dropout, training, _generator);
        return fc.forward(output).MoveToOuterDisposeScope();
    }
}
