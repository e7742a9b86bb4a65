using System;

namespace PixMix.LibTorchSharpFix;

/// <summary>Where a version need was found: its kind and the file offset of its <c>vna_flags</c> field.</summary>
public readonly struct VersionNeed(VersionNeedKind kind, long flagsOffset) : IEquatable<VersionNeed>
{
    /// <summary>How the library needs the version.</summary>
    public VersionNeedKind Kind { get; } = kind;

    /// <summary>The file offset of the need's <c>vna_flags</c> field; -1 when there is no need.</summary>
    public long FlagsOffset { get; } = flagsOffset;

    /// <inheritdoc />
    public bool Equals(VersionNeed other) => Kind == other.Kind && FlagsOffset == other.FlagsOffset;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is VersionNeed other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => ((int)Kind * 397) ^ FlagsOffset.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => $"{Kind} (vna_flags at {FlagsOffset})";

    /// <summary>True when both name the same need.</summary>
    public static bool operator ==(VersionNeed left, VersionNeed right) => left.Equals(right);

    /// <summary>True when they differ.</summary>
    public static bool operator !=(VersionNeed left, VersionNeed right) => !left.Equals(right);
}
