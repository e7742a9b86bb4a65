using static TorchSharp.torch.nn;

namespace PixMix.MLNet.Models;

/// <summary>
/// WideResNet-depth-widen as in the PixMix reference: a 3x3 convolution to 16 channels, three groups of
/// n = (depth - 4) / 6 pre-activation basic blocks of widths 16w, 32w, 64w (strides 1, 2, 2), BatchNorm + ReLU,
/// global average pooling and a linear layer. Its state_dict names match the reference's (conv1,
/// block1.layer.N.{bn1,conv1,bn2,conv2,conv_shortcut}, block2, block3, bn1, fc), so the released checkpoints load.
/// </summary>
public sealed class WideResNet : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // the field names are the PyTorch state_dict names
    private readonly Conv2d conv1;
    private readonly WideResNetStage block1;
    private readonly WideResNetStage block2;
    private readonly WideResNetStage block3;
    private readonly BatchNorm2d bn1;
    private readonly Linear fc;
#pragma warning restore IDE1006

    /// <summary>Creates a WideResNet-<paramref name="depth"/>-<paramref name="widen"/>.</summary>
    /// <param name="depth">6n + 4 (10, 16, 22, 28, 40, ...).</param>
    /// <param name="widen">The width multiplier w (1 or more).</param>
    /// <param name="dropout">Dropout probability between the two convolutions of each block, in [0, 1).</param>
    /// <param name="classes">Number of output classes.</param>
    /// <param name="inChannels">Number of input channels.</param>
    /// <param name="generator">
    /// Generator of the initial weights and the dropout masks; null: torch's global generator. With a generator the
    /// network's randomness does not depend on other users of the global generator in the process.
    /// </param>
    public WideResNet(int depth, int widen, double dropout, int classes, int inChannels = 3, Generator? generator = null) : base(nameof(WideResNet))
    {
        if (depth < 10 || (depth - 4) % 6 != 0)
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "WideResNet depth must be 6n + 4 with n >= 1 (10, 16, 22, 28, 40, ...).");
        ArgumentOutOfRangeException.ThrowIfLessThan(widen, 1);
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout must be in [0, 1).");
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);

        int n = (depth - 4) / 6;
        long[] widths = [16, 16L * widen, 32L * widen, 64L * widen];
        conv1 = Conv2d(inChannels, widths[0], 3, stride: 1, padding: 1, bias: false);
        block1 = new WideResNetStage(n, widths[0], widths[1], 1, dropout, generator);
        block2 = new WideResNetStage(n, widths[1], widths[2], 2, dropout, generator);
        block3 = new WideResNetStage(n, widths[2], widths[3], 2, dropout, generator);
        bn1 = BatchNorm2d(widths[3]);
        fc = Linear(widths[3], classes);
        RegisterComponents();
        ModelInitialization.InitializeLikeReference(this, generator);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var output = conv1.forward(x);
        output = block1.forward(output);
        output = block2.forward(output);
        output = block3.forward(output);
        output = functional.relu(bn1.forward(output));
        output = functional.adaptive_avg_pool2d(output, 1).flatten(1);
        return fc.forward(output).MoveToOuterDisposeScope();
    }
}
