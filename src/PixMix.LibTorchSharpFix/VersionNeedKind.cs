namespace PixMix.LibTorchSharpFix;

/// <summary>How a shared library needs one symbol version of another library.</summary>
public enum VersionNeedKind
{
    /// <summary>The file is not a little-endian 64-bit ELF file, so the question does not apply.</summary>
    NotApplicable,

    /// <summary>The library does not name the version in its version needs (<c>.gnu.version_r</c>).</summary>
    NotNeeded,

    /// <summary>The library needs the version: the dynamic loader refuses it when no loaded library defines it.</summary>
    Strong,

    /// <summary>The library names the version with <c>VER_FLG_WEAK</c>: the loader accepts it when the version is missing.</summary>
    Weak,
}
