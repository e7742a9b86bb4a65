using static TorchSharp.torch;

namespace PixMix.MLNet.Models;

/// <summary>
/// Everything needed to rebuild a network: architecture, its size options, class count and input shape (CHW).
/// Saved with the weights so a model file can be reloaded without the original options.
/// </summary>
/// <param name="Architecture">The network family.</param>
/// <param name="Depth">WideResNet depth (6n + 4); ignored by the other architectures.</param>
/// <param name="Widen">WideResNet width multiplier; ignored by the other architectures.</param>
/// <param name="Dropout">Dropout probability (WideResNet blocks, SmallCnn head); ignored by ResNets.</param>
/// <param name="Classes">Number of output classes.</param>
/// <param name="Channels">Input channels.</param>
/// <param name="Height">Input height in pixels.</param>
/// <param name="Width">Input width in pixels.</param>
public sealed record ImageModelSpec(ModelArchitecture Architecture, int Depth, int Widen, double Dropout,
    int Classes, int Channels, int Height, int Width)
{
    /// <summary>Number of floats of one input image (C x H x W).</summary>
    public int ImageSize => checked(Channels * Height * Width);

    /// <summary>
    /// Builds the network with freshly initialised weights, drawn from <paramref name="generator"/> (which also draws
    /// the dropout masks), or from torch's global generator when it is null.
    /// </summary>
    public nn.Module<Tensor, Tensor> CreateModule(Generator? generator = null)
    {
        Validate();
        return Architecture switch
        {
            ModelArchitecture.WideResNet => new WideResNet(Depth, Widen, Dropout, Classes, Channels, generator),
            ModelArchitecture.ResNet18 => ResNet.ResNet18(Classes, Channels, generator),
            ModelArchitecture.ResNet50 => ResNet.ResNet50(Classes, Channels, generator),
            ModelArchitecture.SmallCnn => new SmallCnn(Classes, Channels, Dropout, generator),
            _ => throw new ArgumentOutOfRangeException(nameof(Architecture), Architecture, "Unknown model architecture."),
        };
    }

    /// <summary>Checks the class count and that the input shape suits the architecture.</summary>
    public void Validate()
    {
        if (Classes < 2)
            throw new ArgumentOutOfRangeException(nameof(Classes), Classes, "An image classifier needs at least 2 classes.");
        if (Channels < 1 || Height < 1 || Width < 1)
            throw new ArgumentOutOfRangeException(nameof(Channels), $"{Channels}x{Height}x{Width}", "The image shape (channels x height x width) must be positive.");
        int minSide = Architecture switch
        {
            ModelArchitecture.ResNet18 or ModelArchitecture.ResNet50 => ResNet.MinimumInputSize,
            _ => 8,
        };
        if (Height < minSide || Width < minSide)
            throw new ArgumentOutOfRangeException(nameof(Height), $"{Height}x{Width}",
                $"{Architecture} needs images of at least {minSide} x {minSide} pixels.");
    }
}
