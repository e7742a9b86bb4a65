using PixMix.MLNet.Evaluation;

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
}
