namespace PixMix.MLNet.Onnx;

/// <summary>Options of <see cref="OnnxImageScoringEstimator"/>.</summary>
public sealed class OnnxImageScoringOptions
{
    /// <summary>The input column of image file paths (text). Default "ImagePath".</summary>
    public string ImagePathColumnName { get; set; } = "ImagePath";

    /// <summary>The folder relative paths are resolved against; null: paths are used as they are.</summary>
    public string? ImageFolder { get; set; }

    /// <summary>The output column of class probabilities (a float vector, one slot per class). Default "Score".</summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>The output column of the predicted class name (a text vector of one value per image). Default "PredictedLabel".</summary>
    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    /// <summary>
    /// The CUDA device ONNX Runtime scores on, or null for the CPU. A GPU needs the application to reference
    /// <c>Microsoft.ML.OnnxRuntime.Gpu</c> 1.32.0 (instead of <c>Microsoft.ML.OnnxRuntime</c>) and a CUDA installation
    /// it supports.
    /// </summary>
    public int? GpuDeviceId { get; set; }

    /// <summary>With <see cref="GpuDeviceId"/>: score on the CPU when the CUDA provider cannot start, instead of failing.</summary>
    public bool FallbackToCpu { get; set; }
}
