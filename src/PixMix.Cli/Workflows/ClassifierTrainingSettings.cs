namespace PixMix.Cli.Workflows;

/// <summary>What <see cref="ClassifierTraining.Run"/> trains on, how, and where the model goes.</summary>
public sealed class ClassifierTrainingSettings
{
    /// <summary>The labelled training images (square, 1 or 3 channels).</summary>
    public required IImageSource TrainImages { get; init; }

    /// <summary>Labelled images to measure accuracy on after every epoch, or null.</summary>
    public IImageSource? ValidationImages { get; init; }

    /// <summary>
    /// Whether to train with PixMix (default true). Without it the transform applies only the train transform (random
    /// crop and flip) and the normalization: the paper's baseline (<see cref="PixMixRecipe.WithoutPixMix"/>).
    /// </summary>
    public bool UsePixMix { get; init; } = true;

    /// <summary>The PixMix parameters (unused when <see cref="UsePixMix"/> is false). Default: the paper's CIFAR setting.</summary>
    public PixMixParameters Parameters { get; init; } = PixMixParameters.Cifar;

    /// <summary>The mixing pictures; null means the built-in fractals.</summary>
    public MixingSet? MixingSet { get; init; }

    /// <summary>The seed of the augmentations (the classifier's own seed is in <see cref="Classifier"/>).</summary>
    public long AugmentationSeed { get; init; }

    /// <summary>The network and optimisation settings; the column names are set by the workflow.</summary>
    public ImageClassifierOptions Classifier { get; init; } = new();

    /// <summary>
    /// The size (width and height) the training images were resized and centre-cropped to when they come from an image
    /// folder (<c>ImageFolderOptions.Size</c>), or null. It is recorded in the model file, so that evaluation reads test
    /// folders at the same size (<see cref="ClassifierTraining.ReadFolderImageSize"/>); it must equal the images' size.
    /// </summary>
    public int? FolderImageSize { get; init; }

    /// <summary>The model file to write (a PixMix model file: the PixMix transform and the classifier).</summary>
    public required string OutputPath { get; init; }
}
