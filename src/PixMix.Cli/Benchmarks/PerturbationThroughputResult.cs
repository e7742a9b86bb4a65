namespace PixMix.Cli.Benchmarks;

/// <summary>The throughput of one perturbation: whole sequences per second at a size, on one thread.</summary>
/// <param name="Perturbation">The perturbation's file name.</param>
/// <param name="Size">Image width and height.</param>
/// <param name="Frames">Frames per sequence.</param>
/// <param name="Sequences">Sequences made in the measured time.</param>
/// <param name="Seconds">The measured time.</param>
/// <param name="SequencesPerSecond">Sequences per second.</param>
/// <param name="SequencesPerCpuSecond">
/// Sequences per second of the process's processor time over the same interval: the one-core rate, less sensitive than
/// <paramref name="SequencesPerSecond"/> to other work sharing the machine.
/// </param>
public sealed record PerturbationThroughputResult(string Perturbation, int Size, int Frames, long Sequences, double Seconds, double SequencesPerSecond, double SequencesPerCpuSecond);
