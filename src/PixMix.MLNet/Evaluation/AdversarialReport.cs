namespace PixMix.MLNet.Evaluation;

/// <summary>Error under the L-infinity PGD attack.</summary>
/// <param name="Epsilon">Radius of the L-infinity ball, in [0, 1] pixel units.</param>
/// <param name="Steps">Number of steps.</param>
/// <param name="StepSize">Step size, in [0, 1] pixel units.</param>
/// <param name="RandomStart">Whether the attack started from a random point.</param>
/// <param name="Examples">Number of images attacked.</param>
/// <param name="CleanError">Error of the TorchSharp model on those images without attack.</param>
/// <param name="AdversarialError">Error after the attack.</param>
public sealed record AdversarialReport(double Epsilon = 0, int Steps = 0, double StepSize = 0, bool RandomStart = false, long Examples = 0,
    double CleanError = 0, double AdversarialError = 0);
