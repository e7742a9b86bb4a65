namespace PixMix.Cli.Workflows;

/// <summary>What scores a PixMix model file's classifier during evaluation.</summary>
public enum EvaluationEngine
{
    /// <summary>The classifier's TorchSharp network (the default: the numbers ML.NET's <c>Evaluate</c> gives).</summary>
    TorchSharp,
    /// <summary>ONNX Runtime on the network exported in memory (<c>WithOnnxRuntimeEngine</c>): equal to float rounding, often faster.</summary>
    OnnxRuntime,
}
