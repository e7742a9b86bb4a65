using Microsoft.ML;

namespace PixMix.MLNet.Onnx;

/// <summary>ML.NET-native scoring of exported ONNX image classifiers on <c>mlContext.Transforms</c>.</summary>
public static class OnnxImageScoringCatalog
{
    /// <summary>
    /// An estimator that scores image files with the ONNX classifier at <paramref name="onnxFilePath"/> (exported by
    /// <see cref="OnnxModelOperationsExtensions.ExportOnnx(ModelOperationsCatalog, ITransformer, string)"/>) through ML.NET's own transformers only, so
    /// that <c>mlContext.Model.Save</c> and <c>Load</c> persist the fitted chain with the ONNX bytes inside.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model or carries no classifier contract.</exception>
    public static OnnxImageScoringEstimator OnnxImageScoring(this TransformsCatalog catalog, string onnxFilePath, OnnxImageScoringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxFilePath);
        return new OnnxImageScoringEstimator(catalog, onnxFilePath, options ?? new OnnxImageScoringOptions());
    }
}
