namespace PixMix.Imaging.Ops;

/// <summary>The two operation lists of the reference.</summary>
public static class PixMixOpLists
{
    /// <summary>The 9 base operations.</summary>
    public static IReadOnlyList<PixMixOp> Base { get; } =
    [
        PixMixOp.AutoContrast, PixMixOp.Equalize, PixMixOp.Posterize, PixMixOp.Rotate, PixMixOp.Solarize,
        PixMixOp.ShearX, PixMixOp.ShearY, PixMixOp.TranslateX, PixMixOp.TranslateY,
    ];

    /// <summary>The 13 operations used with allOps (the base list plus color, contrast, brightness, sharpness).</summary>
    public static IReadOnlyList<PixMixOp> All { get; } =
    [
        .. Base, PixMixOp.Color, PixMixOp.Contrast, PixMixOp.Brightness, PixMixOp.Sharpness,
    ];
}
