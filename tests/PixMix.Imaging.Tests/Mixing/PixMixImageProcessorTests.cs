using PixMix.Imaging;
using PixMix.Imaging.Mixing;

namespace PixMix.Imaging.Tests.Mixing;

public class PixMixImageProcessorTests
{
    private static readonly MixingSet Fractals = MixingSet.Fractals(count: 16, seed: 5);

    private static float[][] AugmentAll(PixMixImageProcessor p, ImageU8[] images, long seed, long epoch, int threads, bool reverse)
    {
        var result = new float[images.Length][];
        var order = Enumerable.Range(0, images.Length).ToArray();
        if (reverse) Array.Reverse(order);
        var local = new ThreadLocal<PixMixImageProcessor.Workspace>(() => new());
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            var rng = PixMixRandom.For(seed, epoch, i);
            var o = new float[p.OutputLength];
            p.Augment(images[i], o, ref rng, local.Value!);
            result[i] = o;
        });
        return result;
    }

    [Fact]
    public void AugmentationsDependOnlyOnSeedEpochAndIndex()
    {
        var p = new PixMixImageProcessor(PixMixRecipe.Cifar, Fractals, 3);
        var images = Enumerable.Range(0, 40).Select(i => TestImages.Gradient(32, 32, seed: i)).ToArray();
        var one = AugmentAll(p, images, 11, 2, threads: 1, reverse: false);
        var many = AugmentAll(p, images, 11, 2, threads: 4, reverse: true);
        for (int i = 0; i < images.Length; i++) Assert.Equal(one[i], many[i]);

        var otherEpoch = AugmentAll(p, images, 11, 3, threads: 2, reverse: false);
        int differ = Enumerable.Range(0, images.Length).Count(i => !one[i].SequenceEqual(otherEpoch[i]));
        Assert.True(differ > 35, $"only {differ} of 40 images changed between epochs");
        var otherSeed = AugmentAll(p, images, 12, 2, threads: 2, reverse: false);
        Assert.True(Enumerable.Range(0, images.Length).Count(i => !one[i].SequenceEqual(otherSeed[i])) > 35);
    }

    [Fact]
    public void EvaluateIsDeterministicAndOnlyNormalizes()
    {
        var p = new PixMixImageProcessor(PixMixRecipe.Cifar, Fractals, 3);
        var img = TestImages.Gradient(32, 32);
        var a = new float[p.OutputLength]; var b = new float[p.OutputLength];
        var ws = new PixMixImageProcessor.Workspace();
        p.Evaluate(img, a, ws);
        p.Evaluate(img, b, ws);
        Assert.Equal(a, b);
        // CHW, (x/255 - 0.5)/0.5
        Assert.Equal((img[0, 0, 0] / 255f - 0.5f) / 0.5f, a[0], 5);
        Assert.Equal((img[5, 3, 1] / 255f - 0.5f) / 0.5f, a[1024 + 3 * 32 + 5], 5);
        Assert.Equal((img[31, 31, 2] / 255f - 0.5f) / 0.5f, a[2048 + 1023], 5);
    }

    [Fact]
    public void GreyInputsAreReplicatedOrKept()
    {
        var grey = TestImages.Gradient(32, 32, c: 1);
        var rgb = new PixMixImageProcessor(PixMixRecipe.Cifar, Fractals, 3);
        var o = new float[rgb.OutputLength];
        rgb.Evaluate(grey, o, new PixMixImageProcessor.Workspace());
        Assert.Equal(o.AsSpan(0, 1024).ToArray(), o.AsSpan(1024, 1024).ToArray());
        Assert.Equal(o.AsSpan(0, 1024).ToArray(), o.AsSpan(2048, 1024).ToArray());

        var one = new PixMixImageProcessor(PixMixRecipe.Cifar, Fractals, 1);
        Assert.Equal(1024, one.OutputLength);
        var rng = PixMixRandom.For(0, 0, 0);
        var g = new float[1024];
        one.Augment(grey, g, ref rng, new PixMixImageProcessor.Workspace());
        Assert.All(g, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void ImageNetRecipeCropsAnySizeTo224()
    {
        var p = new PixMixImageProcessor(PixMixRecipe.ImageNet with { Size = 64, MixingResize = 73 }, Fractals, 3);
        var img = TestImages.Gradient(120, 90);
        var o = new float[p.OutputLength];
        var ws = new PixMixImageProcessor.Workspace();
        var rng = PixMixRandom.For(0, 0, 0);
        p.Augment(img, o, ref rng, ws);
        Assert.Equal(3 * 64 * 64, o.Length);
        // ImageNet normalization: values of [0,1] map into [-0.485/0.229, (1-0.406)/0.225].
        Assert.All(o, v => Assert.InRange(v, -2.12f, 2.65f));
        p.Evaluate(img, o, ws);
        Assert.All(o, v => Assert.InRange(v, -2.12f, 2.65f));
    }

    [Fact]
    public void RecipeValidationNamesTheOption()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PixMixImageProcessor(PixMixRecipe.Cifar with { MixingResize = 30 }, Fractals, 3));
        Assert.Equal("MixingResize", ex.ParamName);
        var ex2 = Assert.Throws<ArgumentOutOfRangeException>(() => new PixMixImageProcessor(PixMixRecipe.Cifar with { Std = [0.5f, 0f, 0.5f] }, Fractals, 3));
        Assert.Equal("Std", ex2.ParamName);
        Assert.Throws<ArgumentException>(() => new PixMixImageProcessor(PixMixRecipe.Cifar with { Mean = [0.5f, 0.5f] }, Fractals, 3));
    }
}

public class PixMixBaselineTests
{
    [Fact]
    public void WithoutPixMixTrainingIsCropFlipAndNormalizeOnly()
    {
        var p = new PixMixImageProcessor(PixMixRecipe.Cifar.WithoutPixMix() with { CropPadding = 0 }, MixingSet.Fractals(4, 1), 3);
        var img = TestImages.Gradient(32, 32);
        var ws = new PixMixImageProcessor.Workspace();
        var eval = new float[p.OutputLength];
        p.Evaluate(img, eval, ws);
        // With padding 0 the crop is the identity, so each output is the image or its mirror, never anything else.
        var flipped = img.Clone();
        PixMix.Imaging.Transforms.ImageTransforms.FlipHorizontal(img, flipped);
        var evalFlipped = new float[p.OutputLength];
        p.Evaluate(flipped, evalFlipped, ws);
        int plain = 0, mirrored = 0;
        for (int i = 0; i < 200; i++)
        {
            var rng = PixMixRandom.For(1, 0, i);
            var o = new float[p.OutputLength];
            p.Augment(img, o, ref rng, ws);
            if (o.SequenceEqual(eval)) plain++;
            else if (o.SequenceEqual(evalFlipped)) mirrored++;
        }
        Assert.Equal(200, plain + mirrored);
        Assert.InRange(plain, 70, 130);
    }
}
