using System.CommandLine;
using System.Diagnostics;
using PixMix.Imaging;
using PixMix.Imaging.Mixing;

namespace PixMix.Cli.Commands;

/// <summary>pixmix bench: throughput measurements a script can read (--json).</summary>
internal static class BenchCommand
{
    public static Command Create(TextWriter stdout)
    {
        var bench = new Command("bench", "Measure throughput: 'augment' (the PixMix imaging core), 'pipeline' (the ML.NET transform).");
        bench.Subcommands.Add(CreateAugment(stdout));
        bench.Subcommands.Add(BenchTrainCommand.Create(stdout));
        return bench;
    }

    private static Command CreateAugment(TextWriter stdout)
    {
        var size = CliOptions.Int("--size", "Image width and height: 32 uses the CIFAR recipe, larger sizes the ImageNet one", 32, 8, 1024);
        var threads = CliOptions.Int("--threads", "Worker threads", 1, 1, 256);
        var seconds = CliOptions.Double("--seconds", "Measured duration in seconds (after a short warm-up)", 5, 0.1, 600);
        var k = CliOptions.Int("--k", "PixMix k", 4, 0, 16);
        var beta = CliOptions.Double("--beta", "PixMix beta", 3, 0.01, 100);
        var severity = CliOptions.Double("--severity", "PixMix severity", 3, 0.1, 10);
        var json = CliOptions.Json();
        var cmd = new Command("augment", "Images per second of the PixMix imaging core: train transform, PixMix (k rounds with fractal mixing pictures) and normalization, per image.")
        {
            size, threads, seconds, k, beta, severity, json,
        };
        cmd.SetAction(parse =>
        {
            var r = AugmentBenchmark.Run(parse.GetValue(size), parse.GetValue(threads), TimeSpan.FromSeconds(parse.GetValue(seconds)),
                new PixMixParameters { K = parse.GetValue(k), Beta = parse.GetValue(beta), Severity = parse.GetValue(severity), AllOps = true });
            CliOutput.Result(stdout, parse.GetValue(json), r,
                $"PixMix augment {r.Size}x{r.Size}, {r.Threads} thread(s), k={r.K} beta={r.Beta} severity={r.Severity} allOps: {r.ImagesPerSecond:N0} images/s ({r.AllocatedBytesPerImage:F1} bytes allocated per image)");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}

/// <summary>The result of <see cref="AugmentBenchmark.Run"/>.</summary>
public sealed record AugmentBenchmarkResult(string Benchmark, int Size, int Threads, double Seconds, int K, double Beta, double Severity, bool AllOps,
    string Recipe, string Inputs, long Images, double ImagesPerSecond, double AllocatedBytesPerImage, string Machine);

/// <summary>Measures the imaging core's PixMix throughput.</summary>
public static class AugmentBenchmark
{
    public static AugmentBenchmarkResult Run(int size, int threads, TimeSpan duration, PixMixParameters parameters)
    {
        var recipe = size <= 64
            ? PixMixRecipe.Cifar with { Parameters = parameters, Size = size, MixingResize = (int)Math.Round(size * 36 / 32.0) }
            : PixMixRecipe.ImageNet with { Parameters = parameters, Size = size, MixingResize = (int)Math.Round(size * 256 / 224.0) };
        var processor = new PixMixImageProcessor(recipe, MixingSet.Fractals(count: 64, seed: 0), 3);
        var (inputs, inputDescription) = BenchInputs.Load(recipe.TrainTransform == TrainTransform.CifarCropFlip ? size : (int)Math.Round(size * 256 / 224.0), 256);
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
