namespace PixMix.MLNet.Evaluation;

/// <summary>
/// Declared by a transformer that scores without gradients with respect to its input pixels (for example through ONNX
/// Runtime), so measures that need them (the PGD attack) cannot be computed through it. <see cref="SafetyEvaluator"/>
/// lists such measures under <see cref="SafetyReport.NotEvaluated"/> with <see cref="NoGradientsReason"/> when a chain
/// holds such a transformer and no adversarial model was given.
/// </summary>
public interface IGradientFreeScoring
{
    /// <summary>Why the transformer gives no gradients, as the report states it.</summary>
    string NoGradientsReason { get; }
}
