using System.Numerics.Tensors;

namespace PixMix.MLNet.Scoring;

/// <summary>
/// The two operations on one row of class scores, written once for every scorer: the softmax of logits and the
/// predicted class. Both run on <see cref="TensorPrimitives"/>; the softmax subtracts the largest logit first, which
/// <see cref="TensorPrimitives.SoftMax{T}(ReadOnlySpan{T}, Span{T})"/> does not, so logits above 88 do not overflow.
/// </summary>
internal static class ClassProbabilities
{
    /// <summary>Replaces logits by their softmax.</summary>
    public static void SoftmaxInPlace(Span<float> scores)
    {
        float max = TensorPrimitives.Max(scores);
        TensorPrimitives.Subtract(scores, max, scores);
        TensorPrimitives.Exp(scores, scores);
        TensorPrimitives.Divide(scores, TensorPrimitives.Sum(scores), scores);
    }

    /// <summary>The predicted class: the index of the largest score, the first on ties.</summary>
    public static int PredictedClass(ReadOnlySpan<float> scores) => TensorPrimitives.IndexOfMax(scores);
}
