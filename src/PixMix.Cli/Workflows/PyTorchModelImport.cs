namespace PixMix.Cli.Workflows;

/// <summary>
/// Turns a PyTorch checkpoint (for example one of the PixMix paper's released WideResNet-40-4 CIFAR models) into a
/// PixMix model file that scores raw images: the PixMix transform (only its deterministic path runs when scoring: the
/// image as it is and the recipe's normalization, CIFAR's 0.5/0.5 for 32 px) followed by the imported classifier.
/// </summary>
public static class PyTorchModelImport
{
    /// <summary>Imports <paramref name="checkpointPath"/> and saves the model file at <paramref name="outputPath"/> atomically.</summary>
    /// <returns>The classifier's description and class names.</returns>
    /// <exception cref="FileNotFoundException">The checkpoint does not exist.</exception>
    /// <exception cref="InvalidDataException">The checkpoint cannot be read or does not match the described network.</exception>
    public static (PixMix.MLNet.Models.ImageModelSpec Spec, IReadOnlyList<string> ClassNames) Run(MLContext context, string checkpointPath, PyTorchImportOptions options,
        string outputPath, PixMixRecipe? recipe = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        if (options.ImageHeight != options.ImageWidth)
            throw new ArgumentException($"The image must be square; ImageHeight {options.ImageHeight} and ImageWidth {options.ImageWidth} differ.", nameof(options));
        var importOptions = new PyTorchImportOptions
        {
            Architecture = options.Architecture, Depth = options.Depth, Widen = options.Widen, Dropout = options.Dropout,
            ClassNames = options.ClassNames, ClassCount = options.ClassCount, ImageChannels = options.ImageChannels,
            ImageHeight = options.ImageHeight, ImageWidth = options.ImageWidth, Device = options.Device,
            EvaluationBatchSize = options.EvaluationBatchSize, FeatureColumnName = ClassifierTraining.FeatureColumnName,
        };
        using var classifier = PyTorchImport.LoadImageClassifier(context, checkpointPath, importOptions);
        var spec = classifier.ModelSpec;
        var schemaView = new ImageSourceDataView(new EmptyImageSource(spec.Width, spec.Height, spec.Channels, classifier.ClassNames),
            ClassifierTraining.ImageColumnName, ClassifierTraining.LabelColumnName, spec.Classes);
        var pixmix = context.Transforms.PixMix(new PixMixOptions
        {
            InputColumnName = ClassifierTraining.ImageColumnName,
            OutputColumnName = ClassifierTraining.FeatureColumnName,
            Recipe = recipe ?? ImageRecipes.ForSize(spec.Width),
            MixingSet = MixingSet.Fractals(count: 1),
        }).Fit(schemaView);
        var model = new TransformerChain<ITransformer>(new ITransformer[] { pixmix, classifier });
        string path = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        context.Model.SavePixMixModel(model, schemaView.Schema, path);
        return (spec, classifier.ClassNames);
    }

    /// <summary>A labelled source with no images: it only gives a data view its schema.</summary>
    private sealed class EmptyImageSource(int width, int height, int channels, IReadOnlyList<string> classNames) : IImageSource
    {
        public long Count => 0;
        public int Width => width;
        public int Height => height;
        public int Channels => channels;
        public bool HasLabels => true;
        public IReadOnlyList<string>? ClassNames => classNames;
        public void ReadImage(long index, Span<byte> destination) => throw new ArgumentOutOfRangeException(nameof(index), index, "The source holds no images.");
        public int ReadLabel(long index) => throw new ArgumentOutOfRangeException(nameof(index), index, "The source holds no images.");
    }
}
