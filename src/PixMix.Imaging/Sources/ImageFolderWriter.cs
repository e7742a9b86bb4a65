using System.Globalization;

namespace PixMix.Imaging.Sources;

/// <summary>
/// Writes the images of a source as PNG files in the layout <see cref="ImageFolderSource"/> reads:
/// <c>folder/&lt;class&gt;/&lt;index&gt;.png</c> (or <c>folder/&lt;index&gt;.png</c> for an unlabelled source).
/// </summary>
public static class ImageFolderWriter
{
    /// <summary>
    /// Writes the first <paramref name="count"/> images of <paramref name="source"/> (all when null) as lossless PNG
    /// files. A class folder is named after the class (<see cref="IImageSource.ClassNames"/>, or the label number), with
    /// characters a file name cannot hold replaced by '-' ("T-shirt/top" becomes "T-shirt-top"). Each file is written
    /// atomically; existing files of the same name are replaced.
    /// </summary>
    /// <returns>The files, in the source's order.</returns>
    /// <exception cref="ArgumentException">Two classes would share a folder, or a class name makes no folder name.</exception>
    /// <exception cref="InvalidDataException">A label is outside the source's class names.</exception>
    public static IReadOnlyList<ImageFile> WritePng(IImageSource source, string folder, long? count = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (count is < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be >= 0.");
        long n = Math.Min(count ?? source.Count, source.Count);
        var root = System.IO.Path.GetFullPath(folder);
        if (File.Exists(root)) throw new ArgumentException($"'{root}' is a file, not a folder.", nameof(folder));
        Directory.CreateDirectory(root);

        var folderNames = new Dictionary<int, string>();
        var labelsByFolder = new Dictionary<string, int>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        int digits = Math.Max(5, (n - 1).ToString(CultureInfo.InvariantCulture).Length);
        var files = new List<ImageFile>((int)Math.Min(n, int.MaxValue));
        for (long i = 0; i < n; i++)
        {
            var pixels = new byte[checked(source.Width * source.Height * source.Channels)];
            source.ReadImage(i, pixels);
            string? className = null;
            string directory = root;
            if (source.HasLabels)
            {
                int label = source.ReadLabel(i);
                if (!folderNames.TryGetValue(label, out className))
                {
                    className = FolderName(source, label);
                    if (labelsByFolder.TryGetValue(className, out int other))
                        throw new ArgumentException($"Classes {other} and {label} would both be written to the folder '{className}'.", nameof(source));
                    labelsByFolder[className] = label;
                    folderNames[label] = className;
                }
                directory = System.IO.Path.Combine(root, className);
                Directory.CreateDirectory(directory);
            }
            var path = System.IO.Path.Combine(directory, i.ToString("D" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + ".png");
            ImageCodec.WritePng(new ImageU8(source.Width, source.Height, source.Channels, pixels), path);
            files.Add(new ImageFile(path, className, i));
        }
        return files;
    }

    private static string FolderName(IImageSource source, int label)
    {
        string name;
        if (source.ClassNames is { } names)
        {
            if (label < 0 || label >= names.Count)
                throw new InvalidDataException($"Label {label} is outside the source's {names.Count} class names.");
            name = names[label];
        }
        else
        {
            if (label < 0) throw new InvalidDataException($"Label {label} is negative.");
            name = label.ToString(CultureInfo.InvariantCulture);
        }
        var invalid = System.IO.Path.GetInvalidFileNameChars();
        var chars = name.Select(c => c is '/' or '\\' || c < ' ' || Array.IndexOf(invalid, c) >= 0 ? '-' : c).ToArray();
        var folder = new string(chars).Trim();
        if (folder.Length == 0 || folder is "." or "..")
            throw new ArgumentException($"The class name '{name}' of label {label} makes no folder name.", nameof(source));
        return folder;
    }
}
