using Microsoft.ML;

namespace PixMix.MLNet.Onnx;

/// <summary>ONNX image classifiers on ML.NET's <see cref="TransformsCatalog"/>: <c>mlContext.Transforms.OnnxImageClassifier(path, options)</c>.</summary>
public static class OnnxImageClassifierCatalog
{
    /// <summary>
    /// Scores images with the ONNX image classifier <paramref name="modelPath"/> (exported by PyTorch, Keras or this
    /// library), appending <c>Score</c> and <c>PredictedLabel</c>; see <see cref="OnnxImageClassifierEstimator"/>.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="modelPath">The ONNX file; read and checked now.</param>
    /// <param name="options">The image column and what the file does not say (layout, size, normalization, class names); null for the defaults and the file's contract.</param>
    public static OnnxImageClassifierEstimator OnnxImageClassifier(this TransformsCatalog catalog, string modelPath, OnnxImageClassifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new OnnxImageClassifierEstimator(new MLContext(), modelPath, options);
    }
}
