namespace PixMix.Cli.Benchmarks;

/// <summary>The timed repetitions of one engine scoring one batch: the median's images per second and every repetition's seconds.</summary>
/// <param name="ImagesPerSecond">The batch size divided by the median time of a batch.</param>
/// <param name="MedianSeconds">The median time of a batch.</param>
/// <param name="MinSeconds">The fastest batch.</param>
/// <param name="MaxSeconds">The slowest batch.</param>
/// <param name="Seconds">Every timed batch, in the order run.</param>
public sealed record EngineTiming(double ImagesPerSecond, double MedianSeconds, double MinSeconds, double MaxSeconds, IReadOnlyList<double> Seconds)
{
    /// <summary>The timing of <paramref name="batchSize"/> images per batch from the measured <paramref name="seconds"/> (at least one).</summary>
    public static EngineTiming From(int batchSize, IReadOnlyList<double> seconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds.Count, 1, nameof(seconds));
        var sorted = seconds.Order().ToArray();
        int mid = sorted.Length / 2;
        double median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new EngineTiming(Math.Round(batchSize / median, 1), Math.Round(median, 5), Math.Round(sorted[0], 5), Math.Round(sorted[^1], 5),
            [.. seconds.Select(s => Math.Round(s, 5))]);
    }
}
