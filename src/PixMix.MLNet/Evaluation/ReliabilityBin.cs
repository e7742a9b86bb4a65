namespace PixMix.MLNet.Evaluation;

/// <summary>One equal-width confidence bin of a reliability diagram.</summary>
/// <param name="Lower">Lower bound of the bin (exclusive, except 0 for the first bin).</param>
/// <param name="Upper">Upper bound of the bin (inclusive).</param>
/// <param name="Count">Number of examples whose confidence falls in the bin.</param>
/// <param name="MeanConfidence">Mean confidence of those examples (0 when empty).</param>
/// <param name="Accuracy">Fraction of those examples classified correctly (0 when empty).</param>
public sealed record ReliabilityBin(double Lower = 0, double Upper = 0, int Count = 0, double MeanConfidence = 0, double Accuracy = 0);
