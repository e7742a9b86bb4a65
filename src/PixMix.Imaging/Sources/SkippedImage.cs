namespace PixMix.Imaging.Sources;

/// <summary>A file left out of an <see cref="ImageFolderSource"/> because it could not be decoded.</summary>
/// <param name="Path">The file.</param>
/// <param name="Reason">Why.</param>
public readonly record struct SkippedImage(string Path, string Reason);
