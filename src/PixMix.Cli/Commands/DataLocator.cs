using PixMix.Imaging.Data;

namespace PixMix.Cli.Commands;

/// <summary>Finds the shipped data (Fashion-MNIST) for commands that default to it.</summary>
internal static class DataLocator
{
    public static IImageSource FashionMnistTest() => FashionMnist.Open(train: false);
}
