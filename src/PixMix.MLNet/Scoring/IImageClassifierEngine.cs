namespace PixMix.MLNet.Scoring;

/// <summary>
/// What computes an <see cref="ImageClassificationTransformer"/>'s scores: the class probabilities of a batch of
/// images given as the classifier's features. The classifier's own engine runs its TorchSharp network; another (for
/// example ONNX Runtime, in PixMix.MLNet.Onnx) is given with <see cref="ImageClassificationTransformer.WithEngine"/>.
/// </summary>
public interface IImageClassifierEngine : IDisposable
{
    /// <summary>A short name for reports ("torchsharp", "onnxruntime").</summary>
    string Name { get; }

    /// <summary>
    /// Writes the class probabilities (softmax of the logits) of <paramref name="count"/> images, given as consecutive
    /// C x H x W float blocks of the network's input (<see cref="ImageClassificationTransformer.ModelSpec"/>), into
    /// <paramref name="probabilities"/> (count x classes).
    /// </summary>
    void Probabilities(ReadOnlySpan<float> images, int count, Span<float> probabilities);
}
