namespace PixMix.Cli.Workflows;

/// <summary>
/// Trains an image classifier from raw images end to end and saves it: an <see cref="ImageSourceDataView"/>, the PixMix
/// transform (<c>mlContext.Transforms.PixMix</c>) with the recipe for the image size, the TorchSharp image classifier
/// (<c>mlContext.MulticlassClassification.Trainers.ImageClassifier</c>), saved with <c>mlContext.Model.SavePixMixModel</c>
/// so that the model file scores raw images.
/// </summary>
public static class ClassifierTraining
{
    /// <summary>The image column of the views built over image sources.</summary>
    public const string ImageColumnName = "Image";
    /// <summary>The label column.</summary>
    public const string LabelColumnName = "Label";
    /// <summary>The feature column the PixMix transform writes and the classifier reads.</summary>
    public const string FeatureColumnName = "Features";

    /// <summary>
    /// The size image-folder training data was read at, as recorded in the model file at <paramref name="modelPath"/>
    /// (<see cref="ClassifierTrainingSettings.FolderImageSize"/>), or null when the file records none (other data,
    /// models saved otherwise, or files written before the size was recorded).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable PixMix model file.</exception>
    public static int? ReadFolderImageSize(string modelPath)
    {
        int? size = PixMixModelFile.ReadManifest(modelPath).TrainingData?.FolderImageSize;
        if (size is < 1 or > 16384)
            throw new InvalidDataException($"Model file '{Path.GetFullPath(modelPath)}' is damaged: it records a folder image size of {size}; expected 1..16384 pixels.");
        return size;
    }

    /// <summary>Trains, saves the model file atomically and returns what was done.</summary>
    /// <exception cref="ArgumentException">The images are unlabelled or not square, or a setting is out of range.</exception>
    public static ClassifierTrainingResult Run(MLContext context, ClassifierTrainingSettings settings,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var train = settings.TrainImages ?? throw new ArgumentException("TrainImages must be set.", nameof(settings));
        if (!train.HasLabels) throw new ArgumentException("The training images have no labels.", nameof(settings));
        if (train.Width != train.Height) throw new ArgumentException($"The training images are {train.Width}x{train.Height}; square images are expected.", nameof(settings));
        if (settings.ValidationImages is { } v && (v.Width != train.Width || v.Height != train.Height || v.Channels != train.Channels))
            throw new ArgumentException($"The validation images are {v.Width}x{v.Height}x{v.Channels}; the training images are {train.Width}x{train.Height}x{train.Channels}.", nameof(settings));
        if (settings.FolderImageSize is { } folderSize && (folderSize != train.Width || folderSize != train.Height))
            throw new ArgumentException($"FolderImageSize is {folderSize}, but the training images are {train.Width}x{train.Height}; it records the size image-folder data was read at.", nameof(settings));
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.OutputPath);
        var recipe = ImageRecipes.ForSize(train.Width, settings.Parameters);
        if (!settings.UsePixMix) recipe = recipe.WithoutPixMix();

        var trainView = new ImageSourceDataView(train, ImageColumnName, LabelColumnName);
        var pixmix = context.Transforms.PixMix(new PixMixOptions
        {
            InputColumnName = ImageColumnName,
            OutputColumnName = FeatureColumnName,
            Recipe = recipe,
            MixingSet = settings.MixingSet,
            Seed = settings.AugmentationSeed,
        }).Fit(trainView);
        IDataView? validation = null;
        if (settings.ValidationImages is { } validationImages)
            validation = pixmix.Transform(new ImageSourceDataView(validationImages, ImageColumnName, LabelColumnName, trainView.ClassCount));

        var options = settings.Classifier.Clone();
        options.LabelColumnName = LabelColumnName;
        options.FeatureColumnName = FeatureColumnName;
        options.Progress = progress ?? options.Progress;
        options.CancellationToken = cancellationToken;
        var classifier = context.MulticlassClassification.Trainers.ImageClassifier(options).Fit(pixmix.Transform(trainView), validation);
        try
        {
            var model = new TransformerChain<ITransformer>(new ITransformer[] { pixmix, classifier });
            string path = Path.GetFullPath(settings.OutputPath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var trainingData = settings.FolderImageSize is { } size ? new ModelManifestTrainingData { FolderImageSize = size } : null;
            PixMixModelFile.Save(context.Model, model, trainView.Schema, path, trainingData);
            return new ClassifierTrainingResult(path, recipe, train.Count, classifier.ClassNames, classifier.TrainingSummary!);
        }
        finally
        {
            classifier.Dispose();
        }
    }
}
