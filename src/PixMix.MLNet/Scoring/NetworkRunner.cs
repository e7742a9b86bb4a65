using System.Runtime.InteropServices;

namespace PixMix.MLNet.Scoring;

/// <summary>Runs a trained network in evaluation mode (BN running statistics, no dropout) without gradients: the classifier's own engine.</summary>
internal sealed class NetworkRunner : IImageClassifierEngine
{
    internal NetworkRunner(nn.Module<Tensor, Tensor> network, ImageModelSpec spec, Device device)
    {
        Network = network; Spec = spec; Device = device;
        Network.eval();
    }

    internal nn.Module<Tensor, Tensor> Network { get; }
    internal ImageModelSpec Spec { get; }
    internal Device Device { get; }

    public string Name => "torchsharp";

    /// <summary>Computes the logits of <paramref name="count"/> images (CHW floats each) into <paramref name="logits"/> (count x classes).</summary>
    internal void Logits(ReadOnlySpan<float> images, int count, Span<float> logits) => Run(images, count, logits, softmax: false);

    /// <summary>Computes the class probabilities (softmax of the logits) of <paramref name="count"/> images.</summary>
    public void Probabilities(ReadOnlySpan<float> images, int count, Span<float> probabilities) => Run(images, count, probabilities, softmax: true);

    private void Run(ReadOnlySpan<float> images, int count, Span<float> output, bool softmax)
    {
        int size = Spec.ImageSize;
        if (images.Length < count * size) throw new ArgumentException($"Expected {count} images of {size} values.", nameof(images));
        if (output.Length < count * Spec.Classes) throw new ArgumentException($"Expected room for {count} x {Spec.Classes} scores.", nameof(output));
        if (count == 0) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = torch.empty([count, Spec.Channels, Spec.Height, Spec.Width], ScalarType.Float32);
        images[..(count * size)].CopyTo(MemoryMarshal.Cast<byte, float>(input.bytes));
        if (Device.type != DeviceType.CPU) input = input.to(Device);
        var result = Network.forward(input);
        if (softmax) result = nn.functional.softmax(result, 1);
        result = result.to(ScalarType.Float32).cpu().contiguous();
        MemoryMarshal.Cast<byte, float>(result.bytes).CopyTo(output[..(count * Spec.Classes)]);
    }

    public void Dispose() => Network.Dispose();
}
