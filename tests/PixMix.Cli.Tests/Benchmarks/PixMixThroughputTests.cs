using PixMix.Cli.Benchmarks;

namespace PixMix.Cli.Tests.Benchmarks;

public class PixMixThroughputTests
{
    [Fact]
    public void MeasurePipelineReportsAPositiveRateAndRejectsBadArguments()
    {
        double rate = PixMixThroughput.MeasurePipeline(16, 2, TimeSpan.FromMilliseconds(200));
        Assert.True(rate > 0 && double.IsFinite(rate), $"rate {rate}");
        Assert.Throws<ArgumentOutOfRangeException>(() => PixMixThroughput.MeasurePipeline(16, 0, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PixMixThroughput.MeasurePipeline(4, 1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void RecipeForUsesTheCifarRecipeForSmallImagesAndTheImageNetRecipeForLargeOnes()
    {
        var small = PixMixThroughput.RecipeFor(32);
        Assert.Equal(36, small.MixingResize);
        Assert.Equal(Imaging.Mixing.TrainTransform.CifarCropFlip, small.TrainTransform);
        var large = PixMixThroughput.RecipeFor(224);
        Assert.Equal(256, large.MixingResize);
        Assert.Equal(Imaging.Mixing.TrainTransform.ImageNetResizedCropFlip, large.TrainTransform);
    }
}
