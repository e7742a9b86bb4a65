using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.Cli.Benchmarks;
using PixMix.Imaging;
using PixMix.Imaging.Mixing;
using PixMix.MLNet.Data;
using PixMix.MLNet.Transforms;

namespace PixMix.Benchmarks;

/// <summary>
/// PixMix through ML.NET against the raw processor: 2048 in-memory 32x32x3 byte images, one augmented pass each.
/// Compare <see cref="RawProcessor"/> with <see cref="SingleCursor"/> (one core), and <see cref="RawProcessorParallel"/>
/// with <see cref="CursorSet"/> (all cores).
/// </summary>
[MemoryDiagnoser]
public class TransformBenchmarks
{
    private const int Rows = 2048;
    private ImageU8[] _images = [];
    private PixMixImageProcessor _processor = null!;
    private IDataView _view = null!;
    private MLContext _ml = null!;
    private long _epoch;

    /// <summary>Output size in pixels.</summary>
    [Params(32)]
    public int Size { get; set; }

    /// <summary>Builds the images, the processor and the transformed view, and warms the mixing-picture cache.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var source = new SyntheticImageSource(Rows, Size);
        _images = Enumerable.Range(0, Rows).Select(i => source.Image(i)).ToArray();
        var recipe = PixMixThroughput.RecipeFor(Size);
        var mixing = MixingSet.Fractals(16);
        _processor = new PixMixImageProcessor(recipe, mixing, 3);
        _ml = new MLContext(seed: 0);
        var data = new ImageSourceDataView(source);
        _view = _ml.Transforms.PixMix(new PixMixOptions { InputColumnName = "Image", OutputColumnName = "Features", Recipe = recipe, MixingSet = mixing })
            .Fit(data).Transform(data);
        RawProcessor();
        SingleCursor();
    }

    /// <summary>The processor alone, one thread.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public float RawProcessor()
    {
        var ws = new PixMixImageProcessor.Workspace();
        var output = new float[_processor.OutputLength];
        long epoch = ++_epoch;
        for (int i = 0; i < Rows; i++)
        {
            var rng = PixMixRandom.For(0, epoch, i);
            _processor.Augment(_images[i], output, ref rng, ws);
        }
        return output[0];
    }

    /// <summary>The processor alone, one partition of the rows per core.</summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public float RawProcessorParallel()
    {
        long epoch = ++_epoch;
        int parts = Environment.ProcessorCount;
        var sums = new float[parts];
        Parallel.For(0, parts, p =>
        {
            var ws = new PixMixImageProcessor.Workspace();
            var output = new float[_processor.OutputLength];
            for (int i = Rows * p / parts; i < Rows * (p + 1) / parts; i++)
            {
                var rng = PixMixRandom.For(0, epoch, i);
                _processor.Augment(_images[i], output, ref rng, ws);
            }
            sums[p] = output[0];
        });
        return sums.Sum();
    }

    /// <summary>An augmented pass through one ML.NET cursor.</summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public float SingleCursor()
    {
        var view = _ml.Data.Augment(_view, ++_epoch);
        var column = view.Schema["Features"];
        using var cursor = view.GetRowCursor([column]);
        return Drain(cursor, column);
    }

    /// <summary>An augmented pass through a cursor set of one cursor per core, each drained on its own thread.</summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public float CursorSet()
    {
        var view = _ml.Data.Augment(_view, ++_epoch);
        var column = view.Schema["Features"];
        var cursors = view.GetRowCursorSet([column], Environment.ProcessorCount);
        var sums = new float[cursors.Length];
        Parallel.For(0, cursors.Length, new ParallelOptions { MaxDegreeOfParallelism = cursors.Length }, i =>
        {
            using var cursor = cursors[i];
            sums[i] = Drain(cursor, column);
        });
        return sums.Sum();
    }

    private static float Drain(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        float sum = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            sum += value.GetValues()[0];
        }
        return sum;
    }
}
