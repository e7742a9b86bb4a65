namespace PixMix.Imaging.Sources;

/// <summary>
/// A labelled image data set named by a short text: <c>fashion-mnist[:&lt;folder&gt;]</c>, <c>idx:&lt;folder&gt;</c>,
/// <c>cifar10:&lt;folder&gt;</c>, <c>cifar100:&lt;folder&gt;</c> or <c>folder:&lt;folder&gt;</c>. <see cref="Open(bool, DataSetOpenOptions)"/> opens its training or test split.
/// </summary>
/// <param name="Kind">The kind of data set.</param>
/// <param name="Folder">The folder (null for the shipped Fashion-MNIST unless another folder is given).</param>
public sealed record DataSetReference(DataSetKind Kind, string? Folder)
{
    /// <summary>The accepted forms, for messages.</summary>
    public const string Syntax = "fashion-mnist[:<folder>] | idx:<folder>[/<prefix>] | cifar10:<folder> | cifar100:<folder> | folder:<folder>";

    /// <summary>Parses <paramref name="text"/>; <paramref name="optionName"/> names the option in error messages.</summary>
    /// <exception cref="ArgumentException">The text is not one of the forms of <see cref="Syntax"/>.</exception>
    public static DataSetReference Parse(string text, string optionName = "data")
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException($"{optionName} is empty; expected {Syntax}.", optionName);
        string t = text.Trim();
        int colon = t.IndexOf(':');
        string kind = (colon < 0 ? t : t[..colon]).ToLowerInvariant();
        string? folder = colon < 0 ? null : t[(colon + 1)..];
        if (folder is not null && folder.Length == 0) throw new ArgumentException($"{optionName} '{text}' names no folder after ':'; expected {Syntax}.", optionName);
        switch (kind)
        {
            case "fashion-mnist" or "fashionmnist":
                return new DataSetReference(DataSetKind.FashionMnist, folder);
            case "idx" or "mnist":
                if (folder is null) throw new ArgumentException($"{optionName} '{text}' needs a folder: idx:<folder> (or idx:<folder>/<prefix> to pick one of several EMNIST splits).", optionName);
                if (!Directory.Exists(folder) && !Directory.Exists(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)))))
                    throw new DirectoryNotFoundException($"{optionName} '{text}': folder '{Path.GetFullPath(folder)}' does not exist.");
                return new DataSetReference(DataSetKind.Idx, folder);
            case "cifar10" or "cifar-10" or "cifar100" or "cifar-100" or "folder":
                if (folder is null) throw new ArgumentException($"{optionName} '{text}' needs a folder: {kind}:<folder>.", optionName);
                if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{optionName} '{text}': folder '{Path.GetFullPath(folder)}' does not exist.");
                return new DataSetReference(kind switch
                {
                    "cifar10" or "cifar-10" => DataSetKind.Cifar10,
                    "cifar100" or "cifar-100" => DataSetKind.Cifar100,
                    _ => DataSetKind.Folder,
                }, folder);
            default:
                throw new ArgumentException($"{optionName} '{text}' is not a known data set; expected {Syntax}.", optionName);
        }
    }

    /// <summary>A short name for reports (<c>fashion-mnist</c>, <c>cifar10</c>, <c>cifar100</c> or the folder's (or idx prefix's) name).</summary>
    public string Name => Kind switch
    {
        DataSetKind.FashionMnist => "fashion-mnist",
        DataSetKind.Cifar10 => "cifar10",
        DataSetKind.Cifar100 => "cifar100",
        _ => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Folder!))),
    };

    /// <summary>
    /// Opens the training or test split, labelled. Image folders: <c>&lt;folder&gt;/train</c> or <c>&lt;folder&gt;/test</c>
    /// when both exist, else the folder itself for either split; images are resized and centre-cropped to
    /// <paramref name="folderImageSize"/>. The result may hold files open: dispose it when it is <see cref="IDisposable"/>.
    /// </summary>
    public IImageSource Open(bool train, int folderImageSize = 32) => Open(train, new DataSetOpenOptions { FolderImageSize = folderImageSize });

    /// <summary>
    /// Opens the training or test split, labelled, as <paramref name="options"/> say: fashion-mnist and idx data sets as
    /// 32x32 RGB by padding (or grey), folders at <see cref="DataSetOpenOptions.FolderImageSize"/>. The result may hold
    /// files open: dispose it (and the <see cref="PaddedRgbImageSource.Inner"/> source of a padded one).
    /// </summary>
    public IImageSource Open(bool train, DataSetOpenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var idx = new IdxDataSetOptions { KeepGrey = options.KeepGrey, Transpose = options.Transpose };
        return Kind switch
        {
            DataSetKind.FashionMnist => FashionMnist.DataSet(Folder).Open(train, idx),
            DataSetKind.Idx => IdxDataSet.Discover(Folder!).Open(train, idx),
            DataSetKind.Cifar10 => CifarBinarySource.OpenCifar10(Folder!, train),
            DataSetKind.Cifar100 => CifarBinarySource.OpenCifar100(Folder!, train),
            _ => OpenFolder(train, options.FolderImageSize, options.SkipUnreadable),
        };
    }

    private ImageFolderSource OpenFolder(bool train, int size, bool skipUnreadable)
    {
        string root = Folder!;
        string trainDir = Path.Combine(root, "train"), testDir = Path.Combine(root, "test");
        if (Directory.Exists(trainDir) && Directory.Exists(testDir))
        {
            // Both splits share the class list of the training split, so labels mean the same in each.
            var classes = SafeFileWalk.Folders(trainDir);
            return ImageFolderSource.Open(train ? trainDir : testDir, new ImageFolderOptions { Size = size, ClassNames = classes, SkipUnreadable = skipUnreadable });
        }
        return ImageFolderSource.Open(root, new ImageFolderOptions { Size = size, SkipUnreadable = skipUnreadable });
    }
}
