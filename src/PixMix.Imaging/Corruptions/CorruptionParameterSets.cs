namespace PixMix.Imaging.Corruptions;

/// <summary>Helpers around <see cref="CorruptionParameterSet"/>: the automatic choice and the reference sizes.</summary>
public static class CorruptionParameterSets
{
    /// <summary>Images whose larger side is at most this many pixels get <see cref="CorruptionParameterSet.Cifar"/> from <see cref="ForSize"/>.</summary>
    public const int CifarMaxSize = 64;

    /// <summary>
    /// The automatic rule: <see cref="CorruptionParameterSet.Cifar"/> when the larger side of the image is at most
    /// <see cref="CifarMaxSize"/> (64) pixels, <see cref="CorruptionParameterSet.ImageNet"/> otherwise.
    /// </summary>
    public static CorruptionParameterSet ForSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1, nameof(width));
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1, nameof(height));
        return Math.Max(width, height) <= CifarMaxSize ? CorruptionParameterSet.Cifar : CorruptionParameterSet.ImageNet;
    }

    /// <summary>The automatic rule applied to <paramref name="image"/>'s size.</summary>
    public static CorruptionParameterSet ForImage(ImageU8 image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return ForSize(image.Width, image.Height);
    }

    /// <summary>The image side the parameter table was made for: 32 for CIFAR, 224 for ImageNet.</summary>
    public static int ReferenceSize(CorruptionParameterSet set) => set switch
    {
        CorruptionParameterSet.Cifar => 32,
        CorruptionParameterSet.ImageNet => 224,
        _ => throw new ArgumentOutOfRangeException(nameof(set), set, "set must be Cifar or ImageNet."),
    };
}
