using System.Text.Json.Serialization;

namespace PixMix.MLNet.Scoring;

/// <summary>The JSON description saved beside a classifier's weights.</summary>
internal sealed record ImageClassifierModelInfo
{
    public int FormatVersion { get; init; }
    public required ImageModelSpec Spec { get; init; }
    public required string FeatureColumnName { get; init; }
    public required string ClassValueType { get; init; }
    public string[]? ClassValues { get; init; }
    public int EvaluationBatchSize { get; init; }
    public TrainingSummary? Summary { get; init; }

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
