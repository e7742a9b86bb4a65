namespace PixMix.MLNet.Onnx;

/// <summary>
/// An ONNX classifier needs a setting that neither its file nor the options give (a file without the <c>pixmix.</c>
/// contract, scored without its layout, size or normalization). <see cref="Setting"/> names the option's property.
/// </summary>
public sealed class OnnxSettingRequiredException(string modelPath, string setting, string detail)
    : ArgumentException($"ONNX model '{modelPath}' carries no pixmix contract in its metadata; OnnxImageClassifierOptions.{setting} is required{detail}.")
{
    /// <summary>The ONNX file.</summary>
    public string ModelPath { get; } = modelPath;
    /// <summary>The property of <see cref="OnnxImageClassifierOptions"/> that is required.</summary>
    public string Setting { get; } = setting;
    /// <summary>What the graph says about it (may be empty), for messages.</summary>
    public string Detail { get; } = detail;
}
