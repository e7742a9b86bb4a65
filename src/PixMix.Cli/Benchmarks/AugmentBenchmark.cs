using System.Diagnostics;

namespace PixMix.Cli.Benchmarks;

/// <summary>Measures the imaging core's PixMix throughput (<see cref="PixMixImageProcessor.Augment"/> on worker threads).</summary>
public static class AugmentBenchmark
{
    /// <summary>
    /// Augments images from <paramref name="loadInputs"/> (given the input size and a count, returns 256 images and their
    /// description) on <paramref name="threads"/> threads for about <paramref name="duration"/> after a warm-up: the CIFAR
    /// recipe up to 64 px, the ImageNet recipe above.
    /// </summary>
    public static AugmentBenchmarkResult Run(int size, int threads, TimeSpan duration, PixMixParameters parameters,
        Func<int, int, (ImageU8[] Images, string Description)> loadInputs)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(loadInputs);
        var recipe = size <= 64
            ? PixMixRecipe.Cifar with { Parameters = parameters, Size = size, MixingResize = (int)Math.Round(size * 36 / 32.0) }
            : PixMixRecipe.ImageNet with { Parameters = parameters, Size = size, MixingResize = (int)Math.Round(size * 256 / 224.0) };
        var processor = new PixMixImageProcessor(recipe, MixingSet.Fractals(count: 64, seed: 0), 3);
        var (inputs, inputDescription) = loadInputs(recipe.TrainTransform == TrainTransform.CifarCropFlip ? size : (int)Math.Round(size * 256 / 224.0), 256);
        // Warm the mixing-picture cache and the JIT.
        for (int i = 0; i < processor.Mixing.Set.Count; i++) processor.Mixing.Prepared(i);

        long total = 0, allocated = 0;
        using var start = new ManualResetEventSlim(false);
        var workers = new Thread[threads];
        var stopwatch = new Stopwatch();
        long stopAt = 0;
        for (int t = 0; t < threads; t++)
        {
            int id = t;
            workers[t] = new Thread(() =>
            {
                var ws = new PixMixImageProcessor.Workspace();
                var output = new float[processor.OutputLength];
                long index = id;
                // Warm-up: 0.3 s.
                var warm = Stopwatch.StartNew();
                while (warm.Elapsed.TotalSeconds < 0.3)
                {
                    var rng = PixMixRandom.For(0, 0, index);
                    processor.Augment(inputs[(int)(index % inputs.Length)], output, ref rng, ws);
                    index += threads;
                }
                start.Wait();
                long count = 0;
                long before = GC.GetAllocatedBytesForCurrentThread();
                while (Stopwatch.GetTimestamp() < Volatile.Read(ref stopAt))
                {
                    var rng = PixMixRandom.For(0, 1, index);
                    processor.Augment(inputs[(int)(index % inputs.Length)], output, ref rng, ws);
                    index += threads;
                    count++;
                }
                Interlocked.Add(ref allocated, GC.GetAllocatedBytesForCurrentThread() - before);
                Interlocked.Add(ref total, count);
            }) { IsBackground = true };
            workers[t].Start();
        }
        Thread.Sleep(400);
        stopwatch.Start();
        Volatile.Write(ref stopAt, Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        start.Set();
        foreach (var w in workers) w.Join();
        stopwatch.Stop();
        double secs = stopwatch.Elapsed.TotalSeconds;
        return new AugmentBenchmarkResult("augment", size, threads, Math.Round(secs, 3), parameters.K, parameters.Beta, parameters.Severity, parameters.AllOps,
            recipe.TrainTransform.ToString(), inputDescription, total, Math.Round(total / secs, 1), total == 0 ? 0 : Math.Round((double)allocated / total, 2),
            $"{Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}");
    }
}
