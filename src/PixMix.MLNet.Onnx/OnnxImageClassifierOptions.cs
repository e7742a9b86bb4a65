namespace PixMix.MLNet.Onnx;

/// <summary>
/// How to score an ONNX image classifier (<c>mlContext.Transforms.OnnxImageClassifier</c>): the image column read and,
/// for a file without the <c>pixmix.</c> contract in its metadata (<see cref="OnnxImageContract"/>), the input's layout,
/// size and normalization and the class names. A value given here replaces the file's.
/// </summary>
public sealed class OnnxImageClassifierOptions
{
    /// <summary>The image column read: bytes or floats (0..255) laid out (H, W, C) with 3 or 1 channels. Default "Image".</summary>
    public string ImageColumnName { get; set; } = "Image";

    /// <summary>The input tensor's layout; null takes the file's contract (required without one).</summary>
    public OnnxInputLayout? Layout { get; set; }

    /// <summary>
    /// The input's height and width in pixels; null takes the graph's fixed size, else the file's contract (required for
    /// a graph whose height and width are dynamic and whose file has no contract).
    /// </summary>
    public int? InputSize { get; set; }

    /// <summary>Per-channel means (RGB, 0..1 scale); null takes the file's contract (required without one).</summary>
    public IReadOnlyList<float>? Mean { get; set; }

    /// <summary>Per-channel standard deviations (RGB, 0..1 scale); null takes the file's contract (required without one).</summary>
    public IReadOnlyList<float>? Std { get; set; }

    /// <summary>The class names in output order; null takes the file's contract, else the classes are unnamed (paired by position).</summary>
    public IReadOnlyList<string>? ClassNames { get; set; }

    /// <summary>The output tensor read; null takes <c>logits</c> when the graph has it, else its one output of shape [batch, classes].</summary>
    public string? OutputTensorName { get; set; }

    /// <summary>What the output holds (default logits, which a softmax turns into the Score column's probabilities).</summary>
    public OnnxScoreKind Scores { get; set; } = OnnxScoreKind.Logits;

    /// <summary>A copy.</summary>
    public OnnxImageClassifierOptions Clone() => (OnnxImageClassifierOptions)MemberwiseClone();
}
