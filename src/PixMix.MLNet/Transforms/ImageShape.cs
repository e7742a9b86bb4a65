namespace PixMix.MLNet.Transforms;

/// <summary>
/// The shape of the images of a vector input column, stored height x width x channels (HWC, the layout of CIFAR,
/// idx and .npy files). Channels is 1 (grey), 3 (RGB) or 4 (RGBA; alpha is dropped).
/// </summary>
/// <param name="Height">Height in pixels.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Channels">1, 3 or 4.</param>
public readonly record struct ImageShape(int Height, int Width, int Channels)
{
    /// <summary>Height * Width * Channels, the number of values of one image.</summary>
    public int Length => Height * Width * Channels;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="optionName"/> when the shape is not a valid image shape.</summary>
    public void Validate(string optionName)
    {
        if (Height < 1 || Width < 1 || Height > 16384 || Width > 16384)
            throw new ArgumentOutOfRangeException(optionName, this, $"PixMix option '{optionName}' must have a height and width in 1..16384 pixels.");
        if (Channels is not (1 or 3 or 4))
            throw new ArgumentOutOfRangeException(optionName, this, $"PixMix option '{optionName}' must have 1 (grey), 3 (RGB) or 4 (RGBA) channels.");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Height}x{Width}x{Channels}";
}
