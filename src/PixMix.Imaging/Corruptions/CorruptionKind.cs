namespace PixMix.Imaging.Corruptions;

/// <summary>The 15 benchmark corruptions of CIFAR-10-C / ImageNet-C, in the benchmark's order, and the 4 extra ones.</summary>
public enum CorruptionKind
{
    /// <summary>gaussian_noise</summary>
    GaussianNoise,
    /// <summary>shot_noise</summary>
    ShotNoise,
    /// <summary>impulse_noise</summary>
    ImpulseNoise,
    /// <summary>defocus_blur</summary>
    DefocusBlur,
    /// <summary>glass_blur</summary>
    GlassBlur,
    /// <summary>motion_blur</summary>
    MotionBlur,
    /// <summary>zoom_blur</summary>
    ZoomBlur,
    /// <summary>snow</summary>
    Snow,
    /// <summary>frost</summary>
    Frost,
    /// <summary>fog</summary>
    Fog,
    /// <summary>brightness</summary>
    Brightness,
    /// <summary>contrast</summary>
    Contrast,
    /// <summary>elastic_transform</summary>
    ElasticTransform,
    /// <summary>pixelate</summary>
    Pixelate,
    /// <summary>jpeg_compression</summary>
    JpegCompression,
    /// <summary>speckle_noise (extra)</summary>
    SpeckleNoise,
    /// <summary>gaussian_blur (extra)</summary>
    GaussianBlur,
    /// <summary>spatter (extra)</summary>
    Spatter,
    /// <summary>saturate (extra)</summary>
    Saturate,
}
