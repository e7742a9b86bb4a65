namespace PixMix.MLNet.Training;

/// <summary>Where a version need was found: its kind and the file offset of its <c>vna_flags</c> field.</summary>
internal readonly record struct VersionNeed(VersionNeedKind Kind, long FlagsOffset);
