using PixMix.MLNet.Transforms;

namespace PixMix.MLNet.Persistence;

/// <summary>The model parts this library defines; each registers its loader here.</summary>
internal static class BuiltInModelParts
{
    internal static void RegisterAll()
    {
        ModelPartRegistry.Register(PixMixTransformer.Kind, PixMixTransformer.FormatVersion, PixMixTransformer.LoadPart);
        ModelPartRegistry.Register(Scoring.ImageClassificationTransformer.Kind, Scoring.ImageClassificationTransformer.FormatVersion, Scoring.ImageClassificationTransformer.LoadPart);
    }
}
