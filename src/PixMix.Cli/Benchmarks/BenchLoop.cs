using System.Diagnostics;

namespace PixMix.Cli.Benchmarks;

/// <summary>What the one-thread imaging benchmarks share: their synthetic pictures and their timed loop.</summary>
internal static class BenchLoop
{
    /// <summary>16 reproducible synthetic RGB pictures of <paramref name="size"/> pixels: a ramp with a random phase and noise.</summary>
    public static ImageU8[] SyntheticImages(int size)
    {
        var images = new ImageU8[16];
        var rng = new PixMixRandom(12345);
        for (int i = 0; i < images.Length; i++)
        {
            images[i] = new ImageU8(size, size, 3);
            var span = images[i].Span;
            int phase = rng.NextInt(256);
            for (int p = 0; p < span.Length; p++) span[p] = (byte)((phase + p / 3 % size * 255 / size + rng.NextInt(24)) & 0xFF);
        }
        return images;
    }

    /// <summary>
    /// Calls <paramref name="step"/> (with the step's number) once, for a warm-up of up to 0.2 s, then for
    /// <paramref name="duration"/>; returns the measured steps, their wall-clock seconds and the process's processor
    /// seconds over the same interval.
    /// </summary>
    public static (long Steps, double Seconds, double CpuSeconds) Run(Action<long> step, TimeSpan duration)
    {
        long n = 0;
        step(n++);
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < Math.Min(0.2, duration.TotalSeconds)) step(n++);
        using var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        long measured = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration) { step(n++); measured++; }
        double seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (measured, seconds, (process.TotalProcessorTime - cpuStart).TotalSeconds);
    }
}
