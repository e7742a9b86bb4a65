using Microsoft.ML;
using PixMix.MLNet.Models;

namespace PixMix.MLNet.Training;

/// <summary>The image classifier on <c>mlContext.MulticlassClassification.Trainers</c>.</summary>
public static class ImageClassifierCatalog
{
    /// <summary>
    /// A TorchSharp image classifier trained with the PixMix paper's recipe (see <see cref="ImageClassifierOptions"/>).
    /// </summary>
    public static ImageClassificationTrainer ImageClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        ImageClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ImageClassificationTrainer(new MLContext(), LogOf(catalog), options);
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
        return new ImageClassificationTrainer(new MLContext(), LogOf(catalog), new ImageClassifierOptions
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            Architecture = architecture,
            Epochs = epochs,
            BatchSize = batchSize,
        });
    }

    /// <summary>
    /// The catalog's host environment, whose channels feed the owning <c>MLContext.Log</c>. ML.NET keeps it behind an
    /// internal interface (IInternalCatalog.Environment); when it cannot be found, training still works but logs nothing
    /// (progress still goes to <see cref="ImageClassifierOptions.Progress"/>). Construct
    /// <see cref="ImageClassificationTrainer"/> with the MLContext directly to log without reflection.
    /// </summary>
    private static Microsoft.ML.Runtime.IChannelProvider? LogOf(MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog)
    {
        try
        {
            var internalCatalog = catalog.GetType().GetInterfaces().FirstOrDefault(i => i.Name == "IInternalCatalog");
            return internalCatalog?.GetProperty("Environment")?.GetValue(catalog) as Microsoft.ML.Runtime.IChannelProvider;
        }
        catch (System.Reflection.TargetInvocationException)
        {
            return null;
        }
    }
}
