using TorchSharp;
using static TorchSharp.torch;

namespace PixMix.MLNet.Tests;

public class TorchSharpSmokeTests
{
    [Fact]
    public void TensorOpAndBackwardPassWork()
    {
        using var x = tensor(new float[] { 1f, 2f, 3f }, requires_grad: true);
        using var y = (x * x).sum();
        Assert.Equal(14f, y.item<float>(), 5);
        y.backward();
        var g = x.grad!.data<float>().ToArray();
        Assert.Equal(new[] { 2f, 4f, 6f }, g);
    }
}
