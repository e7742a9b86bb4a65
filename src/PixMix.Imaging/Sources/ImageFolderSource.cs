using PixMix.Imaging.Core;

namespace PixMix.Imaging.Sources;

/// <summary>
/// Images in folders: the ImageNet layout <c>root/&lt;class&gt;/&lt;image&gt;</c> (classes = sub-folder names sorted
/// ordinally, files sorted ordinally within each), or every image under a root with no labels
/// (<see cref="OpenUnlabelled"/>, for mixing sets). Images are decoded with SkiaSharp on each read, converted to RGB
/// (or grey), resized so the shorter side is <see cref="ImageFolderOptions.ResizeShorterSide"/> (bilinear) and
/// centre-cropped to <see cref="ImageFolderOptions.Size"/>, so every image has the same size. Thread-safe. Folders are
/// walked with <see cref="SafeFileWalk"/>: symbolic links to folders are followed only inside the root, each real folder
/// once, and files that are not regular (FIFOs, devices, sockets) are never opened.
/// </summary>
public sealed class ImageFolderSource : IImageSource
{
    private readonly string[] _paths;
    private readonly int[]? _labels;
    private readonly ImageFolderOptions _options;

    private ImageFolderSource(string root, string[] paths, int[]? labels, IReadOnlyList<string>? classNames, ImageFolderOptions options, IReadOnlyList<SkippedImage> skipped)
    {
        Root = root;
        _paths = paths;
        _labels = labels;
        ClassNames = classNames;
        _options = options;
        Skipped = skipped;
    }

    /// <summary>Opens <c>root/&lt;class&gt;/&lt;image&gt;</c> (files directly in root are ignored; class folders are searched recursively).</summary>
    public static ImageFolderSource Open(string root, ImageFolderOptions? options = null)
    {
        options ??= new ImageFolderOptions();
        options.Validate();
        var full = RequireFolder(root);
        var folders = SafeFileWalk.Folders(full);
        IReadOnlyList<string> classes = options.ClassNames ?? folders;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classes.Count; i++) index[classes[i]] = i;
        var paths = new List<string>();
        var labels = new List<int>();
        var skipped = new List<SkippedImage>();
        foreach (var folder in folders)
        {
            if (!index.TryGetValue(folder, out int label))
                throw new InvalidDataException($"Class folder '{Path.Combine(full, folder)}' is not one of the {classes.Count} given class names.");
            foreach (var file in ListImages(Path.Combine(full, folder), options, skipped))
            {
                paths.Add(file);
                labels.Add(label);
            }
        }
        if (paths.Count == 0) throw new InvalidInputDataException($"Image folder '{full}' holds no readable images in class sub-folders (expected root/<class>/<image> with PNG, JPEG, BMP, GIF or WEBP files{(skipped.Count > 0 ? $"; {skipped.Count} unreadable file(s) skipped" : "")}).", full);
        return new ImageFolderSource(full, [.. paths], [.. labels], classes, options, skipped);
    }

    /// <summary>Opens every image under <paramref name="root"/> (recursively, ordinal path order), without labels.</summary>
    public static ImageFolderSource OpenUnlabelled(string root, ImageFolderOptions? options = null)
    {
        options ??= new ImageFolderOptions();
        options.Validate();
        var full = RequireFolder(root);
        var skipped = new List<SkippedImage>();
        var paths = ListImages(full, options, skipped);
        if (paths.Length == 0) throw new InvalidInputDataException($"Image folder '{full}' holds no readable images{(skipped.Count > 0 ? $" ({skipped.Count} unreadable file(s) skipped)" : "")}.", full);
        return new ImageFolderSource(full, paths, null, null, options, skipped);
    }

    private static string RequireFolder(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"Image folder '{full}' does not exist.");
        return full;
    }

    private static string[] ListImages(string folder, ImageFolderOptions options, List<SkippedImage> skipped)
    {
        var extensions = new HashSet<string>(options.Extensions ?? ImageFolderOptions.DefaultExtensions, StringComparer.OrdinalIgnoreCase);
        // Links to folders are followed only inside the folder, each real folder once; FIFOs, devices and sockets
        // named like pictures are never opened: refused, or skipped with SkipUnreadable.
        var leftOut = new List<(string Path, string Reason)>();
        var files = SafeFileWalk.Files(folder, f => extensions.Contains(Path.GetExtension(f)), leftOut);
        foreach (var (path, reason) in leftOut)
        {
            if (!reason.EndsWith("(not opened)", StringComparison.Ordinal)) continue;
            if (!options.SkipUnreadable) throw new InvalidInputDataException($"Image '{path}' is {reason}; expected a picture file.", path);
            skipped.Add(new SkippedImage(path, reason));
        }
        if (!options.SkipUnreadable) return files;
        // A full decode of every file (in parallel), so truncated files are caught here, not at training time.
        var reasons = ImageCodec.FindUndecodable(files);
        var kept = new List<string>(files.Length);
        for (int i = 0; i < files.Length; i++)
        {
            if (reasons[i] is null) kept.Add(files[i]);
            else skipped.Add(new SkippedImage(files[i], reasons[i]!));
        }
        return [.. kept];
    }

    /// <summary>The root folder.</summary>
    public string Root { get; }
    /// <summary>Files left out because they could not be decoded (only with <see cref="ImageFolderOptions.SkipUnreadable"/>).</summary>
    public IReadOnlyList<SkippedImage> Skipped { get; }
    /// <summary>The image files, in index order.</summary>
    public IReadOnlyList<string> Paths => _paths;
    /// <inheritdoc />
    public long Count => _paths.Length;
    /// <inheritdoc />
    public int Width => _options.Size;
    /// <inheritdoc />
    public int Height => _options.Size;
    /// <inheritdoc />
    public int Channels => _options.Grayscale ? 1 : 3;
    /// <inheritdoc />
    public bool HasLabels => _labels is not null;
    /// <inheritdoc />
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>
    /// Decodes, resizes and crops image <paramref name="index"/>. A file that cannot be decoded raises
    /// <see cref="InvalidDataException"/> naming it (even with <see cref="ImageFolderOptions.SkipUnreadable"/>, if it
    /// was readable when opened but is corrupt further in).
    /// </summary>
    public void ReadImage(long index, Span<byte> destination)
    {
        if ((ulong)index >= (ulong)_paths.Length) throw new ArgumentOutOfRangeException(nameof(index), index, $"The source has {_paths.Length} images.");
        int length = Width * Height * Channels;
        if (destination.Length < length) throw new ArgumentException($"destination holds {destination.Length} bytes; an image needs {length}.", nameof(destination));
        FolderPicture.DecodeResizeCrop(_paths[index], _options.Grayscale, _options.EffectiveShorterSide, _options.Size, destination);
    }

    /// <inheritdoc />
    public int ReadLabel(long index)
    {
        if (_labels is null) throw new InvalidOperationException($"Image folder '{Root}' was opened without labels.");
        if ((ulong)index >= (ulong)_labels.Length) throw new ArgumentOutOfRangeException(nameof(index), index, $"The source has {_labels.Length} images.");
        return _labels[index];
    }
}
