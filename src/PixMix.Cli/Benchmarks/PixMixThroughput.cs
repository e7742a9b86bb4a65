using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.Imaging;
using PixMix.Imaging.Mixing;
using PixMix.MLNet.Data;
using PixMix.MLNet.Transforms;

namespace PixMix.Cli.Benchmarks;

/// <summary>
/// Measures PixMix throughput on synthetic in-memory RGB images: through the ML.NET pipeline (an image-source data view,
/// the PixMix transform, an augmented pass read through a cursor set of <c>threads</c> cursors) and through the raw
/// <see cref="PixMixImageProcessor"/> on the same number of threads, for comparison: <c>pixmix bench pipeline</c> and the
/// BenchmarkDotNet project (which compiles this file too).
/// </summary>
internal static class PixMixThroughput
{
    private const int ImageCount = 2048;

    /// <summary>The recipe measured at <paramref name="size"/>: the CIFAR recipe up to 64 px, the ImageNet recipe above, resized to <paramref name="size"/>.</summary>
    public static PixMixRecipe RecipeFor(int size)
    {
        if (size is < 8 or > 1024) throw new ArgumentOutOfRangeException(nameof(size), size, "size must be in 8..1024 pixels.");
        return size <= 64
            ? PixMixRecipe.Cifar with { Size = size, MixingResize = (int)Math.Round(size * 36 / 32.0) }
            : PixMixRecipe.ImageNet with { Size = size, MixingResize = (int)Math.Round(size * 256 / 224.0) };
    }

    /// <summary>
    /// Images per second delivered by the ML.NET pipeline in augmented passes: cursor set of <paramref name="threads"/>
    /// cursors over a PixMix-transformed view of <paramref name="size"/> x <paramref name="size"/> RGB images, each cursor
    /// drained on its own thread, for about <paramref name="duration"/>.
    /// </summary>
    public static double MeasurePipeline(int size, int threads, TimeSpan duration)
    {
        CheckArguments(threads, duration);
        var ml = new MLContext(seed: 0);
        var source = new SyntheticImageSource(ImageCount, size);
        var data = new ImageSourceDataView(source);
        var view = ml.Transforms.PixMix(new PixMixOptions { InputColumnName = "Image", OutputColumnName = "Features", Recipe = RecipeFor(size), MixingSet = MixingSet.Fractals(16) })
            .Fit(data).Transform(data);
        var features = view.Schema["Features"];

        // Warm up: render and cache the mixing pictures, JIT the path.
        RunPass(ml.Data.Augment(view, 0), features, threads, Stopwatch.StartNew(), TimeSpan.FromSeconds(0.5));
        long rows = 0;
        var clock = Stopwatch.StartNew();
        for (long epoch = 1; clock.Elapsed < duration; epoch++)
            rows += RunPass(ml.Data.Augment(view, epoch), features, threads, clock, duration);
        return rows / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Images per second of the raw <see cref="PixMixImageProcessor.Augment"/> on <paramref name="threads"/> threads (no ML.NET), for about <paramref name="duration"/>.</summary>
    public static double MeasureProcessor(int size, int threads, TimeSpan duration)
    {
        CheckArguments(threads, duration);
        var source = new SyntheticImageSource(ImageCount, size);
        var images = Enumerable.Range(0, ImageCount).Select(i => source.Image(i)).ToArray();
        var processor = new PixMixImageProcessor(RecipeFor(size), MixingSet.Fractals(16), 3);
        RunProcessor(processor, images, threads, Stopwatch.StartNew(), TimeSpan.FromSeconds(0.5));
        var clock = Stopwatch.StartNew();
        long rows = RunProcessor(processor, images, threads, clock, duration);
        return rows / clock.Elapsed.TotalSeconds;
    }

    private static void CheckArguments(int threads, TimeSpan duration)
    {
        if (threads is < 1 or > 1024) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be in 1..1024.");
        if (duration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), duration, "duration must be positive.");
    }

    private static long RunPass(IDataView view, DataViewSchema.Column features, int threads, Stopwatch clock, TimeSpan duration)
    {
        var cursors = threads == 1 ? [view.GetRowCursor([features])] : view.GetRowCursorSet([features], threads);
        long total = 0;
        Parallel.For(0, cursors.Length, new ParallelOptions { MaxDegreeOfParallelism = cursors.Length }, i =>
        {
            using var cursor = cursors[i];
            var getter = cursor.GetGetter<VBuffer<float>>(features);
            VBuffer<float> value = default;
            long n = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                if ((++n & 15) == 0 && clock.Elapsed >= duration) break;
            }
            Interlocked.Add(ref total, n);
        });
        return total;
    }

    private static long RunProcessor(PixMixImageProcessor processor, ImageU8[] images, int threads, Stopwatch clock, TimeSpan duration)
    {
        long total = 0;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var ws = new PixMixImageProcessor.Workspace();
            var output = new float[processor.OutputLength];
            long n = 0;
            for (long i = t; ; i += threads)
            {
                var rng = PixMixRandom.For(0, 0, i);
                processor.Augment(images[i % images.Length], output, ref rng, ws);
                if ((++n & 15) == 0 && clock.Elapsed >= duration) break;
            }
            Interlocked.Add(ref total, n);
        });
        return total;
    }
}
