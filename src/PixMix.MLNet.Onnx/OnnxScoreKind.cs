namespace PixMix.MLNet.Onnx;

/// <summary>What an ONNX classifier's output holds.</summary>
public enum OnnxScoreKind
{
    /// <summary>Logits: the scores become probabilities through a softmax.</summary>
    Logits,

    /// <summary>Probabilities already (the graph ends in a softmax): the scores are taken as they are.</summary>
    Probabilities,
}
