using System.Diagnostics;

namespace PixMix.Imaging.Perturbations;

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

/// <summary>Measures how fast <see cref="Perturber"/> makes sequences of synthetic RGB images, one perturbation at a time, on the calling thread.</summary>
public static class PerturbationThroughput
{
    /// <summary>Makes sequences of 16 reproducible synthetic RGB images in turn for about <paramref name="duration"/> after a short warm-up.</summary>
    public static PerturbationThroughputResult Measure(PerturbationSpec spec, int size, TimeSpan duration)
    {
        if (size is < Perturber.MinSize or > 4096) throw new ArgumentOutOfRangeException(nameof(size), size, $"size must be in {Perturber.MinSize}..4096 pixels.");
        if (duration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), duration, "duration must be positive.");
        var images = new ImageU8[16];
        var rng = new PixMixRandom(12345);
        for (int i = 0; i < images.Length; i++)
        {
            images[i] = new ImageU8(size, size, 3);
            var span = images[i].Span;
            int phase = rng.NextInt(256);
            for (int p = 0; p < span.Length; p++) span[p] = (byte)((phase + p / 3 % size * 255 / size + rng.NextInt(24)) & 0xFF);
        }
        var frames = new byte[spec.FrameCount * images[0].Length];
        long n = 0;
        void Step()
        {
            PerturbationSets.Generate(spec, images[n % images.Length], n, 0, frames);
            n++;
        }
        Step();
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < Math.Min(0.2, duration.TotalSeconds)) Step();
        n = 0;
        using var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration) Step();
        double seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        return new PerturbationThroughputResult(spec.Name, size, spec.FrameCount, n, Math.Round(seconds, 3), Math.Round(n / seconds, 1),
            Math.Round(cpu > 0 ? n / cpu : 0, 1));
    }
}
