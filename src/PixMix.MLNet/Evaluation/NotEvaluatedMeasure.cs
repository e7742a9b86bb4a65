namespace PixMix.MLNet.Evaluation;

/// <summary>A measure of the report that the model cannot give, and why (for example PGD for a model without gradients).</summary>
public sealed record NotEvaluatedMeasure
{
    /// <summary>The measure, as the report names its part (for example "adversarial").</summary>
    public string Measure { get; init; } = "";
    /// <summary>Why it was not evaluated.</summary>
    public string Reason { get; init; } = "";
}
