namespace PixMix.Imaging.Sources;

/// <summary>How <see cref="IdxDataSet.Open"/> presents the images of an idx data set.</summary>
public sealed record IdxDataSetOptions
{
    /// <summary>
    /// Keep the images as stored: 1-channel grey at their own size (28x28 for MNIST). False (the default): the CIFAR
    /// recipe, a zero border of <see cref="Padding"/> pixels and the grey value copied to R, G and B (28x28 becomes 32x32 RGB).
    /// </summary>
    public bool KeepGrey { get; init; }

    /// <summary>Border added on every side when not <see cref="KeepGrey"/> (default 2).</summary>
    public int Padding { get; init; } = 2;

    /// <summary>Swap rows and columns of every image: EMNIST stores its images transposed relative to MNIST.</summary>
    public bool Transpose { get; init; }

    /// <summary>Class names (label = index); null: <c>classes.txt</c> in the folder, else the data set's default names, else "0", "1", ...</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }
}
