using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.Cli.Benchmarks;
using PixMix.Imaging;
using PixMix.Imaging.Mixing;
using PixMix.MLNet.Data;
using PixMix.MLNet.Transforms;

namespace PixMix.MLNet.Tests.Transforms;

public class PixMixCursorAllocationTests
{
    private const int Rows = 160, Warm = 32;

    [Fact]
    public void SteadyStateRowsAllocateNothingBeyondTheProcessor()
    {
        var source = new SyntheticImageSource(Rows, 32);
        var recipe = PixMixRecipe.Cifar with { Size = 32, MixingResize = 36 };
        var mixing = MixingSet.Fractals(4);
        var ml = new MLContext(seed: 0);
        var data = new ImageSourceDataView(source);
        var view = ml.Transforms.PixMix(new PixMixOptions { InputColumnName = "Image", Recipe = recipe, MixingSet = mixing }).Fit(data).Transform(data);

        // Deterministic path: nothing at all per row.
        Assert.Equal(0, AllocatedWhileDraining(view));

        // Augmented path: at most what the processor allocates by itself on the same rows, plus a little slack.
        long pipeline = AllocatedWhileDraining(ml.Data.Augment(view, 1));
        var processor = new PixMixImageProcessor(recipe, mixing, 3);
        var ws = new PixMixImageProcessor.Workspace();
        var output = new float[processor.OutputLength];
        var images = Enumerable.Range(0, Rows).Select(i => source.Image(i)).ToArray();
        for (int i = 0; i < Warm; i++) { var rng = PixMixRandom.For(0, 1, i); processor.Augment(images[i], output, ref rng, ws); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = Warm; i < Rows; i++) { var rng = PixMixRandom.For(0, 1, i); processor.Augment(images[i], output, ref rng, ws); }
        long raw = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(pipeline <= raw + 1024, $"the pipeline allocated {pipeline} bytes over {Rows - Warm} rows; the processor alone {raw}.");
    }

    private static long AllocatedWhileDraining(IDataView view)
    {
        var column = view.Schema["Features"];
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        long before = 0;
        for (int row = 0; cursor.MoveNext(); row++)
        {
            if (row == Warm) before = GC.GetAllocatedBytesForCurrentThread();
            getter(ref value);
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
