namespace PixMix.MLNet.Transforms;

/// <summary>
/// Options of the PixMix transform (<see cref="PixMixEstimator"/>): which column to read, which to write, the
/// <see cref="PixMixRecipe"/> (PixMix parameters, train transform, output size, normalization), the mixing pictures,
/// the seed and how grey and vector inputs are read. Start from a preset, <see cref="Cifar"/> or <see cref="ImageNet"/>.
/// </summary>
/// <remarks>
/// The input column is either an ML.NET image (<c>MLImage</c>, from <c>LoadImages</c>/<c>ResizeImages</c> or
/// <c>MLImage.CreateFromPixels</c>; any size, read as RGB, alpha dropped) or a known-size vector of bytes (0..255) or
/// floats (<see cref="FloatRange"/>) holding one image in HWC order (height, width, channels). The vector's shape comes
/// from its type's dimensions (H, W, C) or (H, W), or from <see cref="InputShape"/>. The output column is a float
/// vector of type <c>VectorDataViewType(Single, C, Size, Size)</c> in CHW order, normalized with the recipe's mean
/// and standard deviation. The CIFAR recipe scores images as they are, so it reads images of its <c>Size</c> only and
/// refuses others, naming the column and both sizes (when the column type gives the size, at Fit and Transform, else
/// row by row); the ImageNet recipe resizes and centre-crops images of any size.
/// </remarks>
public sealed class PixMixOptions
{
    /// <summary>Name of the output column (float vector, C x Size x Size). Default "Features".</summary>
    public string OutputColumnName { get; set; } = "Features";

    /// <summary>Name of the input column (an image or a pixel vector); null means <see cref="OutputColumnName"/>.</summary>
    public string? InputColumnName { get; set; }

    /// <summary>The PixMix parameters (k, beta, severity, all ops), train transform, output size and normalization. Default <see cref="PixMixRecipe.Cifar"/>.</summary>
    public PixMixRecipe Recipe { get; set; } = PixMixRecipe.Cifar;

    /// <summary>The mixing pictures; null means the built-in procedural fractals (<see cref="MixingSet.Fractals"/> with 1000 pictures, seed 0).</summary>
    public MixingSet? MixingSet { get; set; }

    /// <summary>The seed of the augmentations: row r of pass (epoch) e is augmented with the stream (Seed, e, r). Default 0.</summary>
    public long Seed { get; set; }

    /// <summary>Whether grey inputs stay one channel or are replicated to RGB. Default <see cref="GreyHandling.KeepSingleChannel"/>. ML.NET images are always read as RGB.</summary>
    public GreyHandling GreyHandling { get; set; } = GreyHandling.KeepSingleChannel;

    /// <summary>
    /// The image shape (height, width, channels) of a vector input column whose type does not give it (a flat or
    /// variable-size vector). When the type has dimensions (H, W, C) or (H, W) they must agree with this shape.
    /// </summary>
    public ImageShape? InputShape { get; set; }

    /// <summary>The range of float-vector inputs: 0..255 (default) or 0..1. Byte inputs are always 0..255.</summary>
    public PixelValueRange FloatRange { get; set; } = PixelValueRange.ZeroTo255;

    /// <summary>The paper's CIFAR setting (32 px, RandomCrop(32, 4) + flip, k 4, beta 3, severity 3, normalize 0.5/0.5). A new instance on every call.</summary>
    public static PixMixOptions Cifar => new() { Recipe = PixMixRecipe.Cifar };

    /// <summary>The paper's ImageNet setting (224 px, RandomResizedCrop + flip, k 4, beta 4, severity 1, ImageNet mean/std). A new instance on every call.</summary>
    public static PixMixOptions ImageNet => new() { Recipe = PixMixRecipe.ImageNet };

    /// <summary>The input column name actually read: <see cref="InputColumnName"/>, or <see cref="OutputColumnName"/> when it is null.</summary>
    public string EffectiveInputColumnName => InputColumnName ?? OutputColumnName;

    /// <summary>A copy whose later changes do not affect this instance (the recipe and mixing set are immutable and shared).</summary>
    public PixMixOptions Clone() => new()
    {
        OutputColumnName = OutputColumnName, InputColumnName = InputColumnName, Recipe = Recipe, MixingSet = MixingSet,
        Seed = Seed, GreyHandling = GreyHandling, InputShape = InputShape, FloatRange = FloatRange,
    };

    /// <summary>Throws <see cref="ArgumentException"/> or <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputColumnName))
            throw new ArgumentException("PixMix option 'OutputColumnName' must be a non-empty column name.", nameof(OutputColumnName));
        if (InputColumnName is not null && string.IsNullOrWhiteSpace(InputColumnName))
            throw new ArgumentException("PixMix option 'InputColumnName' must be a non-empty column name, or null to read the output column's name.", nameof(InputColumnName));
        if (Recipe is null) throw new ArgumentNullException(nameof(Recipe), "PixMix option 'Recipe' must be set (for example PixMixRecipe.Cifar).");
        Recipe.Validate();
        InputShape?.Validate(nameof(InputShape));
        if (!Enum.IsDefined(GreyHandling)) throw new ArgumentOutOfRangeException(nameof(GreyHandling), GreyHandling, "PixMix option 'GreyHandling' is not a defined value.");
        if (!Enum.IsDefined(FloatRange)) throw new ArgumentOutOfRangeException(nameof(FloatRange), FloatRange, "PixMix option 'FloatRange' is not a defined value.");
    }
}
