namespace PixMix.Imaging.Mixing;

/// <summary>The data-set transform applied to a training image before PixMix (and its deterministic counterpart for evaluation).</summary>
public enum TrainTransform
{
    /// <summary>No train transform; evaluation also uses the image as it is (resized if its size differs).</summary>
    None,
    /// <summary>
    /// CIFAR: RandomCrop(size, padding) + RandomHorizontalFlip; evaluation: the image as it is. The ML.NET transform
    /// refuses images of another size; this library's processor centre-crops larger ones (for previews).
    /// </summary>
    CifarCropFlip,
    /// <summary>ImageNet: RandomResizedCrop(size) + RandomHorizontalFlip; evaluation: Resize(size * 256/224) + CenterCrop(size).</summary>
    ImageNetResizedCropFlip,
}
