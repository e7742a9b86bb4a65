using Microsoft.ML;
using PixMix.Imaging.Mixing;
using PixMix.MLNet.Data;
using PixMix.MLNet.Evaluation;
using PixMix.MLNet.Tests.Transforms;
using PixMix.MLNet.Transforms;

namespace PixMix.MLNet.Tests.Evaluation;

public class SyntheticOodSourceTests
{
    private static byte[] Read(SyntheticOodSource s, long i)
    {
        var b = new byte[s.Width * s.Height * s.Channels];
        s.ReadImage(i, b);
        return b;
    }

    [Theory]
    [InlineData(SyntheticOodKind.Gaussian)]
    [InlineData(SyntheticOodKind.Rademacher)]
    [InlineData(SyntheticOodKind.Blobs)]
    public void DeterministicBySeedAndIndexInAnyOrder(SyntheticOodKind kind)
    {
        var a = new SyntheticOodSource(kind, 10, 16, 12, 3, seed: 5);
        var b = new SyntheticOodSource(kind, 10, 16, 12, 3, seed: 5);
        var c = new SyntheticOodSource(kind, 10, 16, 12, 3, seed: 6);
        var a7 = Read(a, 7);
        Read(b, 3);
        Assert.Equal(a7, Read(b, 7));
        Assert.NotEqual(a7, Read(a, 6));
        Assert.NotEqual(a7, Read(c, 7));
        Assert.False(a.HasLabels);
    }

    [Fact]
    public void GaussianIsCentredOnHalfWithQuarterSpread()
    {
        var s = new SyntheticOodSource(SyntheticOodKind.Gaussian, 4, 32, 32, 3);
        var v = Enumerable.Range(0, 4).SelectMany(i => Read(s, i)).Select(x => x / 255.0).ToArray();
        double mean = v.Average();
        double sd = Math.Sqrt(v.Average(x => (x - mean) * (x - mean)));
        Assert.InRange(mean, 0.49, 0.51);
        // N(0.5, 0.25) clipped at +-2 sigma: the standard deviation shrinks to about 0.235.
        Assert.InRange(sd, 0.22, 0.25);
    }

    [Fact]
    public void RademacherIsBlackOrWhiteHalfTheTime()
    {
        var s = new SyntheticOodSource(SyntheticOodKind.Rademacher, 2, 32, 32, 1);
        var v = Read(s, 0).Concat(Read(s, 1)).ToArray();
        Assert.All(v, x => Assert.True(x == 0 || x == 255));
        Assert.InRange(v.Count(x => x == 255) / (double)v.Length, 0.45, 0.55);
    }

    [Fact]
    public void BlobsAreZeroOrAboveTheThreshold()
    {
        var s = new SyntheticOodSource(SyntheticOodKind.Blobs, 2, 32, 32, 3);
        var v = Read(s, 0);
        Assert.All(v, x => Assert.True(x == 0 || x >= 191)); // 0.75 * 255 = 191.25
        double on = v.Count(x => x > 0) / (double)v.Length;
        Assert.InRange(on, 0.05, 0.95);
    }

    [Fact]
    public void BlobBlurMatchesScipyGaussianFilterNearest()
    {
        // Expected values from scipy.ndimage.gaussian_filter(v, 1.5, mode='nearest', truncate=4.0) on the 5x6x3
        // volume v[y, x, c] = 1 if (7y + 3x + 5c) % 4 == 0 else 0.
        int h = 5, w = 6, c = 3;
        var v = new float[h * w * c];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int k = 0; k < c; k++)
                    v[(y * w + x) * c + k] = (7 * y + 3 * x + 5 * k) % 4 == 0 ? 1 : 0;
        SyntheticOodSource.BlurVolume(v, h, w, c, SyntheticOodSource.GaussianKernel(1.5, 4.0));
        Assert.Equal(0.3662986647735318, v[(0 * w + 0) * c + 0], 5);
        Assert.Equal(0.24896788708888656, v[(2 * w + 3) * c + 1], 5);
        Assert.Equal(0.1955251956293506, v[(4 * w + 5) * c + 2], 5);
        Assert.Equal(0.24921920233911848, v[(1 * w + 4) * c + 0], 5);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticOodSource(SyntheticOodKind.Gaussian, 1, 4, 4, 2));
        var s = new SyntheticOodSource(SyntheticOodKind.Gaussian, 1, 4, 4, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.ReadImage(1, new byte[16]));
    }

    // The definitions of the anomaly-detection benchmark's synthetic sets, in the network's [-1, 1] input space (what
    // a model fitted with the CIFAR normalization, mean 0.5 and std 0.5, sees): Gaussian N(0, 0.5^2) clipped to [-1, 1];
    // Rademacher -1 or +1; blobs -1 (background) or at least 2 * 0.75 - 1 = 0.5. The OOD images reach the network
    // through the same fitted transformer as the in-distribution images.
    private static List<float[]> ThroughTheModelsTransform(SyntheticOodKind kind, out byte[][] pixels)
    {
        var ml = new MLContext(seed: 1);
        var inDistribution = new ImageSourceDataView(new SyntheticOodSource(SyntheticOodKind.Gaussian, 4, 32, 32, 3, seed: 9), classCount: 10);
        var model = ml.Transforms.PixMix(new PixMixOptions
        {
            InputColumnName = "Image", OutputColumnName = "Features", Recipe = PixMixRecipe.Cifar, MixingSet = MixingSet.Fractals(count: 4, seed: 3),
        }).Fit(inDistribution);
        var ood = new SyntheticOodSource(kind, 6, 32, 32, 3, seed: 2);
        pixels = Enumerable.Range(0, 6).Select(i => Read(ood, i)).ToArray();
        return ViewReader.Read(model.Transform(new ImageSourceDataView(new ConstantLabelImageSource(ood), classCount: 10)), "Features");
    }

    [Theory]
    [InlineData(SyntheticOodKind.Gaussian)]
    [InlineData(SyntheticOodKind.Rademacher)]
    [InlineData(SyntheticOodKind.Blobs)]
    public void OodImagesGetTheInDistributionNormalization(SyntheticOodKind kind)
    {
        var features = ThroughTheModelsTransform(kind, out var pixels);
        Assert.Equal(6, features.Count);
        for (int i = 0; i < 6; i++)
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < 32 * 32; p += 37)
                    Assert.Equal(pixels[i][p * 3 + c] / 255f * 2 - 1, features[i][c * 32 * 32 + p], 5);
    }

    [Fact]
    public void GaussianInInputSpaceIsHalfStdClippedToPlusMinusOne()
    {
        var all = ThroughTheModelsTransform(SyntheticOodKind.Gaussian, out _).SelectMany(f => f).ToArray();
        Assert.All(all, v => Assert.InRange(v, -1f, 1f));
        double mean = all.Average(v => (double)v);
        double std = Math.Sqrt(all.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -0.02, 0.02);
        // N(0, 0.5^2) clipped at two standard deviations has a standard deviation of about 0.47.
        Assert.InRange(std, 0.45, 0.49);
        double clipped = all.Count(v => v is <= -0.999f or >= 0.999f) / (double)all.Length;
        Assert.InRange(clipped, 0.035, 0.056); // P(|N(0, 1)| > 2) = 4.55%
    }

    [Fact]
    public void RademacherInInputSpaceIsMinusOneOrOne()
    {
        var all = ThroughTheModelsTransform(SyntheticOodKind.Rademacher, out _).SelectMany(f => f).ToArray();
        Assert.All(all, v => Assert.True(v == -1f || v == 1f, $"{v}"));
        Assert.InRange(all.Count(v => v > 0) / (double)all.Length, 0.47, 0.53);
    }

    [Fact]
    public void BlobsInInputSpaceAreBackgroundOrBright()
    {
        var all = ThroughTheModelsTransform(SyntheticOodKind.Blobs, out _).SelectMany(f => f).ToArray();
        Assert.All(all, v => Assert.True(v == -1f || v >= 0.49f, $"{v}"));
        // Bernoulli(0.7) blurred has mean 0.7 and a spread of about 0.1, so roughly a third of the values pass 0.75.
        Assert.InRange(all.Count(v => v > 0) / (double)all.Length, 0.2, 0.5);
    }
}
