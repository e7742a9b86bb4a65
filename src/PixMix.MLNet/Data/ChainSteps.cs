using Microsoft.ML;

namespace PixMix.MLNet.Data;

/// <summary>The steps of a fitted model: a transformer, or the members of its (nested) chains in order.</summary>
public static class ChainSteps
{
    /// <summary>The transformers of <paramref name="model"/> in order, nested chains flattened.</summary>
    public static List<ITransformer> Flatten(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var steps = new List<ITransformer>();
        void Add(ITransformer t)
        {
            if (t is IEnumerable<ITransformer> chain) foreach (var m in chain) Add(m);
            else steps.Add(t);
        }
        Add(model);
        return steps;
    }
}
