namespace PixMix.Imaging.Ops;

/// <summary>The augmentation operations of PixMix (the AugMix/PixMix list), in the reference's order.</summary>
public enum PixMixOp
{
    /// <summary>Per-channel contrast stretch to [0,255].</summary>
    AutoContrast,
    /// <summary>Per-channel histogram equalisation.</summary>
    Equalize,
    /// <summary>Keep the top bits of each channel.</summary>
    Posterize,
    /// <summary>Rotation about the centre, bilinear, fill 0.</summary>
    Rotate,
    /// <summary>Invert pixels at or above a threshold.</summary>
    Solarize,
    /// <summary>Horizontal shear.</summary>
    ShearX,
    /// <summary>Vertical shear.</summary>
    ShearY,
    /// <summary>Horizontal shift.</summary>
    TranslateX,
    /// <summary>Vertical shift.</summary>
    TranslateY,
    /// <summary>Saturation (PIL ImageEnhance.Color). Only with allOps.</summary>
    Color,
    /// <summary>Contrast (PIL ImageEnhance.Contrast). Only with allOps.</summary>
    Contrast,
    /// <summary>Brightness (PIL ImageEnhance.Brightness). Only with allOps.</summary>
    Brightness,
    /// <summary>Sharpness (PIL ImageEnhance.Sharpness). Only with allOps.</summary>
    Sharpness,
}
