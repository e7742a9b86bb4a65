namespace PixMix.MLNet.Persistence;

/// <summary>How a model's training images were read (optional in the manifest; readers ignore what they do not know).</summary>
internal sealed record ModelManifestTrainingData
{
    /// <summary>The size (width and height) image-folder data was resized and centre-cropped to, or null.</summary>
    public int? FolderImageSize { get; init; }
}
