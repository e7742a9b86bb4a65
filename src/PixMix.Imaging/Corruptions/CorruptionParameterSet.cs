namespace PixMix.Imaging.Corruptions;

/// <summary>
/// Which of the reference benchmark's two parameter tables a corruption uses. The CIFAR-10-C table was tuned
/// for 32x32 images, the ImageNet-C table for 224x224 images (stronger noise, wider blurs, lower JPEG quality).
/// <see cref="CorruptionParameterSets.ForSize"/> picks one from the image size.
/// </summary>
public enum CorruptionParameterSet
{
    /// <summary>The CIFAR-10-C / CIFAR-100-C parameters (reference size 32 px).</summary>
    Cifar,
    /// <summary>The ImageNet-C parameters (reference size 224 px).</summary>
    ImageNet,
}
