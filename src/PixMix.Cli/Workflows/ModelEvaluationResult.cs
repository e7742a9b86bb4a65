namespace PixMix.Cli.Workflows;

/// <summary>The outcome of <see cref="ModelEvaluation.Run"/>: the report and the files written.</summary>
/// <param name="Report">The safety report.</param>
/// <param name="Files">Full paths of the files written (report.json, report.md, charts); empty without an output folder.</param>
public sealed record ModelEvaluationResult(SafetyReport Report, IReadOnlyList<string> Files);
