namespace PixMix.MLNet.Evaluation;

/// <summary>Error under the L-infinity PGD attack.</summary>
public sealed record AdversarialReport
{
    /// <summary>Radius of the L-infinity ball, in [0, 1] pixel units.</summary>
    public double Epsilon { get; init; }
    /// <summary>Number of steps.</summary>
    public int Steps { get; init; }
    /// <summary>Step size, in [0, 1] pixel units.</summary>
    public double StepSize { get; init; }
    /// <summary>Whether the attack started from a random point.</summary>
    public bool RandomStart { get; init; }
    /// <summary>Number of images attacked.</summary>
    public long Examples { get; init; }
    /// <summary>Error of the TorchSharp model on those images without attack.</summary>
    public double CleanError { get; init; }
    /// <summary>Error after the attack.</summary>
    public double AdversarialError { get; init; }
}
