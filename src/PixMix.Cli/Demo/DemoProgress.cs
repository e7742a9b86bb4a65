namespace PixMix.Cli.Demo;

/// <summary>A stage of the demo and how far it is.</summary>
/// <param name="Stage">The stage: "corrupt", "train Baseline 1/2", "evaluate PixMix 1/2", ...</param>
/// <param name="Fraction">How far the stage is, in [0, 1].</param>
/// <param name="Message">What happened: for milestones a line with the count, images per second and time left.</param>
public sealed record DemoProgress(string Stage, double Fraction, string Message)
{
    /// <summary>
    /// Whether the report ends a unit of the stage (a corruption written, an epoch trained, a set scored): the reports a
    /// log keeps, one line each; the others only move a live view.
    /// </summary>
    public bool Milestone { get; init; }
}
