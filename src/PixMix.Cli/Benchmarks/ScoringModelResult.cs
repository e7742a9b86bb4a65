namespace PixMix.Cli.Benchmarks;

/// <summary>One network scored by both engines on the same batch: their throughput and how far their outputs agree.</summary>
/// <param name="Model">The network, e.g. <c>SmallCnn</c> or <c>WideResNet-16-4</c>.</param>
/// <param name="Parameters">The network's parameter count.</param>
/// <param name="TorchSharp">TorchSharp, the batch call evaluation makes (network forward and softmax, no gradients).</param>
/// <param name="OnnxRuntime">ONNX Runtime's <c>InferenceSession.Run</c> on the exported graph (normalization, network, softmax and arg-max).</param>
/// <param name="OnnxRuntimeSpeedup">ONNX Runtime's images per second divided by TorchSharp's.</param>
/// <param name="Images">Images compared.</param>
/// <param name="AgreeingPredictions">Images whose TorchSharp arg-max equals ONNX Runtime's <c>predicted_label</c>.</param>
/// <param name="Agreement">AgreeingPredictions / Images.</param>
/// <param name="MaxAbsLogitDifference">The largest absolute difference between the two engines' logits.</param>
public sealed record ScoringModelResult(string Model, long Parameters, EngineTiming TorchSharp, EngineTiming OnnxRuntime, double OnnxRuntimeSpeedup,
    int Images, int AgreeingPredictions, double Agreement, double MaxAbsLogitDifference);
