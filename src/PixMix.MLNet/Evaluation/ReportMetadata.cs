namespace PixMix.MLNet.Evaluation;

/// <summary>Describes a <see cref="SafetyReport"/>: the model, data and settings it was computed with.</summary>
public sealed record ReportMetadata
{
    /// <summary>The version of the report's JSON format.</summary>
    public int FormatVersion { get; init; } = SafetyReportJson.CurrentFormatVersion;
    /// <summary>The model's name, as given by the caller.</summary>
    public string? ModelName { get; init; }
    /// <summary>The in-distribution dataset's name, as given by the caller.</summary>
    public string? DatasetName { get; init; }
    /// <summary>When the report was computed (UTC).</summary>
    public DateTimeOffset CreatedUtc { get; init; }
    /// <summary>Number of classes of the classifier.</summary>
    public int ClassCount { get; init; }
    /// <summary>Name of the score column read.</summary>
    public string ScoreColumn { get; init; } = "Score";
    /// <summary>Name of the label column read.</summary>
    public string LabelColumn { get; init; } = "Label";
    /// <summary>How the test data's classes were paired with the model's.</summary>
    public ClassMatchingKind ClassMatching { get; init; }
    /// <summary>One sentence on the pairing (for example that the labels were remapped by name).</summary>
    public string? ClassMatchingNote { get; init; }
    /// <summary>Where images of the other sets (corruptions, out-of-distribution, perturbations) entered the model's chain, when any did.</summary>
    public string? ImageEntry { get; init; }
    /// <summary>Adaptive bin size of the RMS calibration error.</summary>
    public int CalibrationBinSize { get; init; } = CalibrationMetrics.DefaultBinSize;
    /// <summary>Which adaptive bins the RMS calibration error sums.</summary>
    public CalibrationBinning CalibrationBinning { get; init; }
    /// <summary>The model of the baseline report that normalized the corruption errors and flip rates, when one did (<see cref="SafetyEvaluationOptions.Baseline"/>).</summary>
    public string? BaselineModelName { get; init; }
    /// <summary>Free-form notes (settings, versions).</summary>
    public IReadOnlyDictionary<string, string>? Notes { get; init; }
}
