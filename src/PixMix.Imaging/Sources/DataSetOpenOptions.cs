namespace PixMix.Imaging.Sources;

/// <summary>How <see cref="DataSetReference.Open(bool, DataSetOpenOptions)"/> presents a data set.</summary>
public sealed record DataSetOpenOptions
{
    /// <summary>Image size of folder data sets (resized and centre-cropped; default 32).</summary>
    public int FolderImageSize { get; init; } = 32;
    /// <summary>Folder data sets: decode every file when opening and leave out (and list) those that cannot be decoded.</summary>
    public bool SkipUnreadable { get; init; }
    /// <summary>idx data sets (and Fashion-MNIST): keep the 1-channel grey images at their stored size instead of 32x32 RGB by padding.</summary>
    public bool KeepGrey { get; init; }
    /// <summary>idx data sets: swap rows and columns of every image (EMNIST).</summary>
    public bool Transpose { get; init; }
}
