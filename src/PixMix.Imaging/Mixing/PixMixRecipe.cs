namespace PixMix.Imaging.Mixing;

/// <summary>
/// Everything PixMix needs to turn one input image into one training tensor: the PixMix parameters, the train
/// transform, the mixing-picture resize, the output size and the normalization. Presets: <see cref="Cifar"/>,
/// <see cref="ImageNet"/>.
/// </summary>
public sealed record PixMixRecipe
{
    /// <summary>k, beta, severity, allOps.</summary>
    public PixMixParameters Parameters { get; init; } = PixMixParameters.Cifar;
    /// <summary>The train transform.</summary>
    public TrainTransform TrainTransform { get; init; } = TrainTransform.CifarCropFlip;
    /// <summary>Zero padding of the CIFAR random crop. Paper: 4.</summary>
    public int CropPadding { get; init; } = 4;
    /// <summary>Output width and height (square). Paper: 32 (CIFAR), 224 (ImageNet).</summary>
    public int Size { get; init; } = 32;
    /// <summary>Shorter side the mixing pictures are resized to before the random crop. Paper: 36 (CIFAR), 256 (ImageNet).</summary>
    public int MixingResize { get; init; } = 36;
    /// <summary>
    /// Whether training applies PixMix. When false, training applies only the train transform and normalization: the
    /// standard-augmentation baseline the paper compares PixMix with. Evaluation is the same either way.
    /// </summary>
    public bool UsePixMix { get; init; } = true;
    /// <summary>Per-channel means subtracted after PixMix. Paper: 0.5 (CIFAR), ImageNet statistics (ImageNet).</summary>
    public float[] Mean { get; init; } = [0.5f, 0.5f, 0.5f];
    /// <summary>Per-channel standard deviations. Paper: 0.5 (CIFAR).</summary>
    public float[] Std { get; init; } = [0.5f, 0.5f, 0.5f];

    /// <summary>The paper's CIFAR recipe: 32 px, RandomCrop(32, 4) + flip, mixing Resize(36) + RandomCrop(32), k 4, beta 3, severity 3, normalize 0.5/0.5.</summary>
    public static PixMixRecipe Cifar { get; } = new();

    /// <summary>The paper's ImageNet recipe: RandomResizedCrop(224) + flip, mixing Resize(256) + RandomCrop(224), k 4, beta 4, severity 1, ImageNet mean/std.</summary>
    public static PixMixRecipe ImageNet { get; } = new()
    {
        Parameters = PixMixParameters.ImageNet, TrainTransform = TrainTransform.ImageNetResizedCropFlip, Size = 224, MixingResize = 256,
        Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f],
    };

    /// <summary>This recipe with PixMix switched off: the train transform and normalization only (the paper's baseline).</summary>
    public PixMixRecipe WithoutPixMix() => this with { UsePixMix = false };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> / <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Parameters, nameof(Parameters));
        Parameters.Validate();
        if (Size is < 8 or > 4096) throw new ArgumentOutOfRangeException(nameof(Size), Size, "PixMix option 'Size' must be in 8..4096 pixels.");
        if (CropPadding is < 0 or > 256) throw new ArgumentOutOfRangeException(nameof(CropPadding), CropPadding, "PixMix option 'CropPadding' must be in 0..256.");
        if (MixingResize < Size || MixingResize > 8192) throw new ArgumentOutOfRangeException(nameof(MixingResize), MixingResize, $"PixMix option 'MixingResize' must be in {Size} (Size)..8192.");
        if (Mean is null || Std is null || Mean.Length != Std.Length || Mean.Length is not (1 or 3))
            throw new ArgumentException("PixMix options 'Mean' and 'Std' must both have 1 or 3 values (one per channel), or 1 value used for every channel.", nameof(Mean));
        foreach (var s in Std) if (!(s > 0) || float.IsInfinity(s)) throw new ArgumentOutOfRangeException(nameof(Std), s, "PixMix option 'Std' values must be finite and > 0.");
        foreach (var m in Mean) if (!float.IsFinite(m)) throw new ArgumentOutOfRangeException(nameof(Mean), m, "PixMix option 'Mean' values must be finite.");
    }
}
