namespace PixMix.MLNet.Evaluation;

/// <summary>
/// Safety evaluation of multiclass models, on ML.NET's <see cref="MulticlassClassificationCatalog"/>:
/// <c>mlContext.MulticlassClassification.EvaluateSafety(model, testData, options)</c>.
/// </summary>
public static class SafetyEvaluationCatalogExtensions
{
    /// <summary>
    /// Scores <paramref name="clean"/> (and every set the options name: corruptions, out-of-distribution sets,
    /// perturbation sequences, the PGD attack) with <paramref name="model"/> and computes the PixMix paper's safety
    /// metrics. The model must append a probability vector (default column "Score") and the scored data must have a
    /// key-typed label (default "Label"); image sets from the options are presented to the model as
    /// <see cref="Data.ImageSourceDataView"/> columns ("Image" bytes of shape (H, W, C) and "Label").
    /// </summary>
    /// <param name="catalog">The multiclass classification catalog.</param>
    /// <param name="model">A fitted model (a pipeline ending in a multiclass trainer).</param>
    /// <param name="clean">The clean, labelled test data.</param>
    /// <param name="options">What to compute; null for the clean error and calibration only.</param>
    public static SafetyReport EvaluateSafety(this MulticlassClassificationCatalog catalog, ITransformer model, IDataView clean,
        SafetyEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SafetyEvaluator(model, options).Evaluate(clean);
    }

    /// <summary>
    /// Only the corruption benchmark: the error and RMS calibration error per corruption and severity, the CIFAR
    /// average corruption error and, when the options ask, the mCE and (given <paramref name="cleanError"/>) the
    /// relative mCE.
    /// </summary>
    /// <param name="catalog">The multiclass classification catalog.</param>
    /// <param name="model">A fitted model.</param>
    /// <param name="corruptions">The benchmark's cells.</param>
    /// <param name="options">Column names and mCE settings; its <see cref="SafetyEvaluationOptions.Corruptions"/> is ignored.</param>
    /// <param name="cleanError">The model's clean error (needed for the relative mCE).</param>
    public static CorruptionReport EvaluateCorruptions(this MulticlassClassificationCatalog catalog, ITransformer model,
        IEnumerable<CorruptedSubset> corruptions, SafetyEvaluationOptions? options = null, double? cleanError = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SafetyEvaluator(model, options).EvaluateCorruptions(corruptions, cleanError);
    }
}
