namespace PixMix.Imaging.Sources;

/// <summary>One picture file written by <see cref="ImageFolderWriter"/>.</summary>
/// <param name="Path">The file's absolute path.</param>
/// <param name="ClassName">The name of its class folder; null for an unlabelled source.</param>
/// <param name="Index">The image's index in the source.</param>
public sealed record ImageFile(string Path, string? ClassName, long Index);
