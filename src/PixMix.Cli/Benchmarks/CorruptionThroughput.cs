namespace PixMix.Cli.Benchmarks;

/// <summary>Measures how fast <see cref="Corruptor"/> corrupts synthetic RGB images, one corruption at a time, on the calling thread.</summary>
public static class CorruptionThroughput
{
    /// <summary>
    /// Corrupts 16 reproducible synthetic <paramref name="size"/> x <paramref name="size"/> RGB images in turn, at
    /// severities 1..5 in turn, for about <paramref name="duration"/> after a short warm-up.
    /// </summary>
    public static CorruptionThroughputResult Measure(CorruptionKind kind, int size, TimeSpan duration, CorruptionParameterSet? set = null)
    {
        if (size is < 8 or > 4096) throw new ArgumentOutOfRangeException(nameof(size), size, "size must be in 8..4096 pixels.");
        if (duration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), duration, "duration must be positive.");
        var table = set ?? CorruptionParameterSets.ForSize(size, size);
        var images = BenchLoop.SyntheticImages(size);
        var output = new ImageU8(size, size, 3);
        var (n, seconds, _) = BenchLoop.Run(i =>
        {
            var r = CorruptionSets.RandomFor(0, kind, (int)(i % 5) + 1, i);
            Corruptor.Apply(kind, (int)(i % 5) + 1, images[i % images.Length], output, ref r, table);
        }, duration);
        return new CorruptionThroughputResult(CorruptionNames.ToName(kind), size, table.ToString(), n, Math.Round(seconds, 3), Math.Round(n / seconds, 1));
    }
}
