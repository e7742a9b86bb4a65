using static TorchSharp.torch.nn;

namespace PixMix.MLNet.Models;

/// <summary>
/// One group of <see cref="WideBasicBlock"/>s of a wide residual network (the reference's <c>NetworkBlock</c>): the
/// first block changes the width and applies the stride. Its blocks are named <c>layer.0</c>, <c>layer.1</c>, ...
/// </summary>
public sealed class WideResNetStage : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // the field name is the PyTorch state_dict name
    private readonly Sequential layer;
#pragma warning restore IDE1006

    /// <summary>Creates <paramref name="blocks"/> blocks from <paramref name="inPlanes"/> to <paramref name="outPlanes"/> channels.</summary>
    /// <param name="blocks">Number of blocks.</param>
    /// <param name="inPlanes">Input channels.</param>
    /// <param name="outPlanes">Output channels.</param>
    /// <param name="stride">Stride of the first block.</param>
    /// <param name="dropout">Dropout probability inside the blocks.</param>
    /// <param name="generator">Generator of the dropout masks (null: torch's global generator).</param>
    public WideResNetStage(int blocks, long inPlanes, long outPlanes, long stride, double dropout, Generator? generator = null) : base(nameof(WideResNetStage))
    {
        var modules = new Module<Tensor, Tensor>[blocks];
        for (int i = 0; i < blocks; i++)
            modules[i] = new WideBasicBlock(i == 0 ? inPlanes : outPlanes, outPlanes, i == 0 ? stride : 1, dropout, generator);
        layer = Sequential(modules);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => layer.forward(x);
}
