namespace PixMix.MLNet.Training;

/// <summary>
/// The image classifier on <c>mlContext.MulticlassClassification.Trainers</c>. The trainer logs to that context's
/// <c>Log</c> (through <see cref="CatalogEnvironment"/>); training draws no randomness from the context:
/// <see cref="ImageClassifierOptions.Seed"/> decides the weights, shuffles and dropout.
/// </summary>
public static class ImageClassifierCatalog
{
    /// <summary>
    /// A TorchSharp image classifier trained with the PixMix paper's recipe (see <see cref="ImageClassifierOptions"/>).
    /// </summary>
    public static ImageClassificationTrainer ImageClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        ImageClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ImageClassificationTrainer(CatalogEnvironment.Of(catalog), options);
    }

    /// <summary>
    /// A TorchSharp image classifier with the default recipe (WideResNet-40-4, 100 epochs) unless other values are given.
    /// </summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">The label column (a key type).</param>
    /// <param name="featureColumnName">The feature column (a known-size float vector of C x H x W).</param>
    /// <param name="architecture">The network.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="batchSize">Images per step.</param>
    public static ImageClassificationTrainer ImageClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features",
        ModelArchitecture architecture = ModelArchitecture.WideResNet, int epochs = 100, int batchSize = 128)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ImageClassificationTrainer(CatalogEnvironment.Of(catalog), new ImageClassifierOptions
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            Architecture = architecture,
            Epochs = epochs,
            BatchSize = batchSize,
        });
    }
}
