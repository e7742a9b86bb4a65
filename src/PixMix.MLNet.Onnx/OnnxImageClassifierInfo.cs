namespace PixMix.MLNet.Onnx;

/// <summary>
/// An ONNX image classifier as it will be scored: its tensors, its class count and the contract in force (the file's
/// <c>pixmix.</c> metadata with the options' values in place of the file's). Read by
/// <see cref="OnnxImageClassifierEstimator"/>, which checks the graph before anything is scored.
/// </summary>
public sealed record OnnxImageClassifierInfo
{
    /// <summary>The ONNX file.</summary>
    public required string ModelPath { get; init; }
    /// <summary>The image input tensor's name.</summary>
    public required string InputTensorName { get; init; }
    /// <summary>The input's shape as the graph declares it (-1 for a dynamic dimension).</summary>
    public required IReadOnlyList<int> InputShape { get; init; }
    /// <summary>The output tensor read.</summary>
    public required string OutputTensorName { get; init; }
    /// <summary>The output's shape as the graph declares it.</summary>
    public required IReadOnlyList<int> OutputShape { get; init; }
    /// <summary>The number of classes (the output's second dimension).</summary>
    public required int ClassCount { get; init; }
    /// <summary>The contract in force: layout, size, normalization and class names.</summary>
    public required OnnxImageContract Contract { get; init; }
    /// <summary>Whether the file carries a <c>pixmix.</c> contract in its metadata.</summary>
    public bool HasFileContract { get; init; }
    /// <summary>What the output holds.</summary>
    public OnnxScoreKind Scores { get; init; }
    /// <summary>Where each setting came from ("layout", "inputSize", "normalization", "classNames": "graph", "file metadata", "options" or "none").</summary>
    public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>();

    /// <summary>The per-channel means applied before the graph: the contract's, or zeros when the graph normalizes itself.</summary>
    public IReadOnlyList<float> AppliedMean => Contract.NormalizationFolded ? [0f, 0f, 0f] : Contract.Mean;
    /// <summary>The per-channel standard deviations applied before the graph: the contract's, or ones when the graph normalizes itself.</summary>
    public IReadOnlyList<float> AppliedStd => Contract.NormalizationFolded ? [1f, 1f, 1f] : Contract.Std;

    /// <summary>A shape as text, dynamic dimensions as '?'.</summary>
    public static string FormatShape(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape.Select(d => d > 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")) + "]";
}
