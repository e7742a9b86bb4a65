using PixMix.MLNet.Transforms;

namespace PixMix.MLNet.Persistence;

/// <summary>The model parts this library defines; each registers its loader here.</summary>
internal static class BuiltInModelParts
{
    internal static void RegisterAll()
    {
        ModelPartRegistry.Register(PixMixTransformer.Kind, PixMixTransformer.FormatVersion, PixMixTransformer.LoadPart);
        ModelPartRegistry.Register(Training.ImageClassificationTransformer.Kind, Training.ImageClassificationTransformer.FormatVersion, Training.ImageClassificationTransformer.LoadPart);
    }
}
