namespace PixMix.Cli.Benchmarks;

/// <summary>The throughput of one corruption: images per second at a size, on one thread.</summary>
/// <param name="Corruption">The benchmark name of the corruption.</param>
/// <param name="Size">Image width and height.</param>
/// <param name="ParameterSet">The parameter table used.</param>
/// <param name="Images">Images corrupted in the measured time.</param>
/// <param name="Seconds">The measured time.</param>
/// <param name="ImagesPerSecond">Images per second.</param>
public sealed record CorruptionThroughputResult(string Corruption, int Size, string ParameterSet, long Images, double Seconds, double ImagesPerSecond);
