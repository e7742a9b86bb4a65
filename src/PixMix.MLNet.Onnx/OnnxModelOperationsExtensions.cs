using Microsoft.ML;
using PixMix.Imaging;
using PixMix.MLNet.Scoring;
using PixMix.MLNet.Training;

namespace PixMix.MLNet.Onnx;

/// <summary>
/// ONNX export of trained image classifiers on <c>mlContext.Model</c>. The exported graph takes RGB images already
/// resized to the model's input size (NCHW, values byte / 255, any batch size), applies the evaluation crop and the
/// normalization itself, and returns <c>logits</c>, <c>probabilities</c> and <c>predicted_label</c>; its
/// <c>metadata_props</c> carry the <see cref="OnnxImageContract"/> (input size, recipe mean and std, class names).
/// </summary>
public static class OnnxModelOperationsExtensions
{
    /// <summary>
    /// Writes <paramref name="model"/> (an image classifier, or a chain holding one, such as a loaded PixMix model file)
    /// as an ONNX model (opset 17) to <paramref name="filePath"/>, atomically. The chain's PixMix transform gives the
    /// normalization and the evaluation crop; without one the network's input is taken as byte / 255.
    /// </summary>
    /// <exception cref="ArgumentException">The model holds no image classifier, or its shapes cannot be exported.</exception>
    /// <exception cref="NotSupportedException">The network has a module without an ONNX translation; the message names it.</exception>
    public static void ExportOnnx(this ModelOperationsCatalog catalog, ITransformer model, string filePath)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        var onnx = OnnxClassifierExport.Build(model);
        AtomicFile.Write(filePath, stream => OnnxClassifierExport.Write(onnx, stream));
    }

    /// <summary>Writes <paramref name="model"/> as an ONNX model to <paramref name="stream"/> (see the path overload).</summary>
    public static void ExportOnnx(this ModelOperationsCatalog catalog, ITransformer model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("The stream is not writable.", nameof(stream));
        OnnxClassifierExport.Write(OnnxClassifierExport.Build(model), stream);
    }

    /// <summary>
    /// <paramref name="model"/> with its image classifiers scored by ONNX Runtime (<see cref="OnnxRuntimeEngine"/>): the
    /// same chain and columns, each classifier's network exported in memory and run a batch at a time. For faster
    /// evaluation (<c>EvaluateSafety</c>, <c>Transform</c>); the PGD attack and saving still use the TorchSharp network.
    /// Scores agree with TorchSharp's to float rounding, not bit for bit. Dispose the result's classifiers to release the sessions.
    /// </summary>
    /// <exception cref="ArgumentException">The model holds no image classifier.</exception>
    public static ITransformer WithOnnxRuntimeEngine(this ModelOperationsCatalog catalog, ITransformer model, OnnxRuntimeEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options?.Validate();
        return catalog.WithClassifierEngine(model, classifier => OnnxRuntimeEngine.For(classifier, options));
    }
}
