namespace PixMix.MLNet.PyTorch;

/// <summary>The content of a PyTorch checkpoint file: its state_dict (any <c>module.</c> prefix removed) and metadata.</summary>
public sealed class PyTorchCheckpoint : IDisposable
{
    internal PyTorchCheckpoint(string path, Dictionary<string, Tensor> stateDict, long? epoch, double? bestAccuracy, bool hadModulePrefix, bool hasOptimizerState)
    {
        Path = path; StateDict = stateDict; Epoch = epoch; BestAccuracy = bestAccuracy;
        HadModulePrefix = hadModulePrefix; HasOptimizerState = hasOptimizerState;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }
    /// <summary>Parameter and buffer tensors by PyTorch name (for example <c>block1.layer.0.conv1.weight</c>).</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict { get; }
    /// <summary>The checkpoint's <c>epoch</c> entry, when present.</summary>
    public long? Epoch { get; }
    /// <summary>The checkpoint's <c>best_acc</c> entry, when present.</summary>
    public double? BestAccuracy { get; }
    /// <summary>Whether the names carried DataParallel's <c>module.</c> prefix.</summary>
    public bool HadModulePrefix { get; }
    /// <summary>Whether the checkpoint also held an <c>optimizer</c> state (not imported).</summary>
    public bool HasOptimizerState { get; }

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        foreach (var tensor in StateDict.Values) tensor.Dispose();
    }
}
