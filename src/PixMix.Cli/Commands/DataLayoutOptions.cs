namespace PixMix.Cli.Commands;

/// <summary>--grey, --transpose and --skip-unreadable: how a data set's images are read.</summary>
internal sealed class DataLayoutOptions
{
    private readonly Option<bool>? _grey;
    private readonly Option<bool> _transpose = new("--transpose") { Description = "idx data sets: swap rows and columns of every image (EMNIST stores its images transposed relative to MNIST)." };
    private readonly Option<bool> _skip = new("--skip-unreadable") { Description = "Decode every picture of folder: data and --mixing folders first and leave out (and count) the damaged ones; without it a damaged picture stops the command, naming the file." };

    public DataLayoutOptions(bool grey)
    {
        if (grey) _grey = new Option<bool>("--grey") { Description = "idx and fashion-mnist data: keep the 28x28 grey images instead of padding them to 32x32 RGB (the CIFAR recipe)." };
    }

    public IEnumerable<Option> All => _grey is null ? [_transpose, _skip] : [_grey, _transpose, _skip];

    public Imaging.Sources.DataSetOpenOptions Read(ParseResult parse, int folderImageSize = 32) => new()
    {
        FolderImageSize = folderImageSize,
        KeepGrey = _grey is not null && parse.GetValue(_grey),
        Transpose = parse.GetValue(_transpose),
        SkipUnreadable = parse.GetValue(_skip),
    };

    /// <summary>The files an opened source left out as unreadable (folder data sets with --skip-unreadable).</summary>
    public static IReadOnlyList<string> Skipped(Imaging.Sources.IImageSource? source) => source switch
    {
        Imaging.Sources.ImageFolderSource folder => [.. folder.Skipped.Select(s => s.Path)],
        Imaging.Sources.ImageSourceSlice slice => Skipped(slice.Inner),
        _ => [],
    };

    /// <summary>" (N unreadable file(s) skipped: a, b, ...)" for the text output, or "".</summary>
    public static string SkippedText(IReadOnlyCollection<string> skipped, string what)
        => skipped.Count == 0 ? "" : $"; skipped {skipped.Count} unreadable {what} ({string.Join(", ", skipped.Take(3))}{(skipped.Count > 3 ? ", ..." : "")})";
}
