namespace PixMix.Cli.Benchmarks;

/// <summary>The result of <see cref="AugmentBenchmark.Run"/>.</summary>
/// <param name="Benchmark">"augment".</param>
/// <param name="Size">Image width and height.</param>
/// <param name="Threads">Worker threads.</param>
/// <param name="Seconds">Measured duration.</param>
/// <param name="K">PixMix k.</param>
/// <param name="Beta">PixMix beta.</param>
/// <param name="Severity">PixMix severity.</param>
/// <param name="AllOps">Whether all 13 operations were used.</param>
/// <param name="Recipe">The train transform of the recipe.</param>
/// <param name="Inputs">What the input images were.</param>
/// <param name="Images">Images augmented in the measured time.</param>
/// <param name="ImagesPerSecond">Images per second.</param>
/// <param name="AllocatedBytesPerImage">Managed bytes allocated per image.</param>
/// <param name="Machine">Processor count, architecture and runtime.</param>
public sealed record AugmentBenchmarkResult(string Benchmark, int Size, int Threads, double Seconds, int K, double Beta, double Severity, bool AllOps,
    string Recipe, string Inputs, long Images, double ImagesPerSecond, double AllocatedBytesPerImage, string Machine);
