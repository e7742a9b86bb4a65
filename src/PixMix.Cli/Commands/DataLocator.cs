namespace PixMix.Cli.Commands;

/// <summary>Finds the shipped data (Fashion-MNIST) for commands that default to it.</summary>
internal static class DataLocator
{
    /// <summary>The Fashion-MNIST test split: from <paramref name="folder"/> (a Fashion-MNIST folder or one holding fashion-mnist/) when given, else the shipped copy.</summary>
    public static IImageSource FashionMnistTest(string? folder = null) => FashionMnist.Open(train: false, folder);
}
