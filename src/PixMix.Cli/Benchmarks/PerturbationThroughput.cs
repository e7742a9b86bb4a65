using PixMix.Imaging.Perturbations;

namespace PixMix.Cli.Benchmarks;

/// <summary>Measures how fast <see cref="Perturber"/> makes sequences of synthetic RGB images, one perturbation at a time, on the calling thread.</summary>
public static class PerturbationThroughput
{
    /// <summary>Makes sequences of 16 reproducible synthetic RGB images in turn for about <paramref name="duration"/> after a short warm-up.</summary>
    public static PerturbationThroughputResult Measure(PerturbationSpec spec, int size, TimeSpan duration)
    {
        if (size is < Perturber.MinSize or > 4096) throw new ArgumentOutOfRangeException(nameof(size), size, $"size must be in {Perturber.MinSize}..4096 pixels.");
        if (duration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), duration, "duration must be positive.");
        var images = BenchLoop.SyntheticImages(size);
        var frames = new byte[spec.FrameCount * images[0].Length];
        var (n, seconds, cpu) = BenchLoop.Run(i => PerturbationSets.Generate(spec, images[i % images.Length], i, 0, frames), duration);
        return new PerturbationThroughputResult(spec.Name, size, spec.FrameCount, n, Math.Round(seconds, 3), Math.Round(n / seconds, 1),
            Math.Round(cpu > 0 ? n / cpu : 0, 1));
    }
}
