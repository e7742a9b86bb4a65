namespace PixMix.Imaging.Sources;

/// <summary>Which CIFAR-100 label a <see cref="CifarBinarySource"/> returns.</summary>
public enum CifarLabelKind
{
    /// <summary>The 100 fine classes.</summary>
    Fine,
    /// <summary>The 20 coarse superclasses.</summary>
    Coarse,
}
