namespace PixMix.MLNet.Onnx;

/// <summary>Options of <see cref="OnnxRuntimeEngine"/>.</summary>
public sealed class OnnxRuntimeEngineOptions
{
    /// <summary>The threads ONNX Runtime uses inside each batch; null: its default (one per physical core).</summary>
    public int? IntraOpNumThreads { get; init; }

    internal void Validate()
    {
        if (IntraOpNumThreads is < 1 or > 1024)
            throw new ArgumentOutOfRangeException(nameof(IntraOpNumThreads), IntraOpNumThreads, "OnnxRuntimeEngineOptions.IntraOpNumThreads must be 1 to 1024, or null for ONNX Runtime's default.");
    }
}
