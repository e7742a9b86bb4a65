namespace PixMix.Imaging.Sources;

/// <summary>How <see cref="ImageFolderSource"/> finds, decodes and sizes images.</summary>
public sealed class ImageFolderOptions
{
    /// <summary>The default image file extensions (case-insensitive).</summary>
    public static IReadOnlyList<string> DefaultExtensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".ico", ".wbmp"];

    /// <summary>Output width and height: the side of the centre crop (default 224).</summary>
    public int Size { get; init; } = 224;

    /// <summary>
    /// The shorter side is resized to this many pixels (bilinear, antialiased, as Pillow/torchvision) before the centre
    /// crop; 0 means <see cref="Size"/> (resize, then crop the longer side). The ImageNet evaluation convention is 256 with Size 224.
    /// </summary>
    public int ResizeShorterSide { get; init; }

    /// <summary>Produce 1-channel grey images (ITU-R 601 luma, as Pillow's convert('L')) instead of RGB.</summary>
    public bool Grayscale { get; init; }

    /// <summary>
    /// Probe every file when opening and leave out those that cannot be decoded, listing them in
    /// <see cref="ImageFolderSource.Skipped"/>; otherwise such files fail when read, with an error naming them.
    /// </summary>
    public bool SkipUnreadable { get; init; }

    /// <summary>File extensions taken as images (with the dot, case-insensitive); null means <see cref="DefaultExtensions"/>.</summary>
    public IReadOnlyCollection<string>? Extensions { get; init; }

    /// <summary>
    /// A fixed class list (label = index in it); class folders not in it are an error. Null: the class folders found,
    /// sorted ordinally.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    internal int EffectiveShorterSide => ResizeShorterSide > 0 ? ResizeShorterSide : Size;

    internal void Validate()
    {
        if (Size < 1) throw new ArgumentOutOfRangeException(nameof(Size), Size, "Size must be at least 1.");
        if (ResizeShorterSide < 0) throw new ArgumentOutOfRangeException(nameof(ResizeShorterSide), ResizeShorterSide, "ResizeShorterSide must be 0 (same as Size) or positive.");
        if (ResizeShorterSide > 0 && ResizeShorterSide < Size)
            throw new ArgumentOutOfRangeException(nameof(ResizeShorterSide), ResizeShorterSide, $"ResizeShorterSide ({ResizeShorterSide}) must be at least Size ({Size}) so that the centre crop fits.");
    }
}
