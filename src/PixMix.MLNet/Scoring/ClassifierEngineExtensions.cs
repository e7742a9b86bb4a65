using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.MLNet.Persistence;

namespace PixMix.MLNet.Scoring;

/// <summary>Choosing the engine that scores a fitted model's image classifiers, on <c>mlContext.Model</c>.</summary>
public static class ClassifierEngineExtensions
{
    /// <summary>
    /// <paramref name="model"/> with each <see cref="ImageClassificationTransformer"/> scoring through the engine
    /// <paramref name="engine"/> makes for it (<see cref="ImageClassificationTransformer.WithEngine"/>); every other step
    /// is kept as it is (nested chains are flattened, their scopes kept). The model itself is not changed; disposing the
    /// result's classifiers disposes the engines only.
    /// </summary>
    /// <exception cref="ArgumentException">The model holds no image classifier.</exception>
    public static ITransformer WithClassifierEngine(this ModelOperationsCatalog catalog, ITransformer model,
        Func<ImageClassificationTransformer, IImageClassifierEngine> engine)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(engine);
        if (model is ImageClassificationTransformer alone) return alone.WithEngine(engine(alone));
        var (steps, scopes) = PixMixModelFile.Flatten(model);
        if (!steps.OfType<ImageClassificationTransformer>().Any())
            throw new ArgumentException("The model holds no image classifier (ImageClassificationTransformer) whose engine could be chosen.", nameof(model));
        var replaced = new List<ITransformer>(steps.Count);
        try
        {
            foreach (var step in steps)
                replaced.Add(step is ImageClassificationTransformer classifier ? classifier.WithEngine(engine(classifier)) : step);
        }
        catch
        {
            for (int i = 0; i < replaced.Count; i++) if (!ReferenceEquals(replaced[i], steps[i])) ((IDisposable)replaced[i]).Dispose();
            throw;
        }
        return new TransformerChain<ITransformer>(replaced, scopes);
    }
}
