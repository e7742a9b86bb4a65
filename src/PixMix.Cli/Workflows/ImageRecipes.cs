namespace PixMix.Cli.Workflows;

/// <summary>The PixMix recipe for a data set's image size: the paper's CIFAR recipe up to 64 px, its ImageNet recipe above.</summary>
public static class ImageRecipes
{
    /// <summary>
    /// The CIFAR recipe (RandomCrop with padding 4 + flip, normalize 0.5/0.5) resized to <paramref name="size"/> when it is
    /// at most 64 px, else the ImageNet recipe (RandomResizedCrop + flip, ImageNet mean/std) at <paramref name="size"/>,
    /// with <paramref name="parameters"/> (null: the recipe's own).
    /// </summary>
    public static PixMixRecipe ForSize(int size, PixMixParameters? parameters = null)
    {
        if (size is < 8 or > 4096) throw new ArgumentOutOfRangeException(nameof(size), size, "The image size must be in 8..4096 pixels.");
        var recipe = size <= 64
            ? PixMixRecipe.Cifar with { Size = size, MixingResize = (int)Math.Ceiling(size * 36 / 32.0) }
            : PixMixRecipe.ImageNet with { Size = size, MixingResize = (int)Math.Ceiling(size * 256 / 224.0) };
        return parameters is null ? recipe : recipe with { Parameters = parameters };
    }
}
