using PixMix.Imaging.Corruptions;

namespace PixMix.Imaging.Tests.Corruptions;

public class CorruptionFiltersTests
{
    // scipy.ndimage.gaussian_filter1d by its definition: weights exp(-x^2 / (2 s^2)), x = -r..r, r = int(truncate s + 0.5),
    // normalized; samples outside mirrored with the edge repeated (d c b a | a b c d | d c b a), period 2n.
    private static double[] DirectGaussian(double[] line, double sigma, double truncate)
    {
        int n = line.Length, r = (int)(truncate * sigma + 0.5);
        var w = Enumerable.Range(-r, 2 * r + 1).Select(x => Math.Exp(-x * x / (2 * sigma * sigma))).ToArray();
        double sum = w.Sum();
        var result = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = -r; j <= r; j++)
            {
                int k = ((i + j) % (2 * n) + 2 * n) % (2 * n);
                if (k >= n) k = 2 * n - 1 - k;
                result[i] += w[j + r] / sum * line[k];
            }
        return result;
    }

    [Theory]
    [InlineData(1.5, 3.0)]   // kernel narrower than the image: scipy's per-pixel sums
    [InlineData(6.0, 3.0)]   // radius 18 >= 12: taps merged into a matrix
    [InlineData(40.0, 3.0)]  // radius 120: many reflections
    public void GaussianFilterMatchesTheDefinition(double sigma, double truncate)
    {
        const int W = 12, H = 9;
        var rng = new PixMixRandom(17);
        var data = new double[W * H];
        for (int i = 0; i < data.Length; i++) data[i] = rng.Uniform(-1, 1);
        // expected: rows (axis 0) first, then columns (axis 1), each by the definition
        var expected = (double[])data.Clone();
        for (int x = 0; x < W; x++)
        {
            var col = DirectGaussian(Enumerable.Range(0, H).Select(y => expected[y * W + x]).ToArray(), sigma, truncate);
            for (int y = 0; y < H; y++) expected[y * W + x] = col[y];
        }
        for (int y = 0; y < H; y++)
        {
            var row = DirectGaussian(expected.AsSpan(y * W, W).ToArray(), sigma, truncate);
            row.CopyTo(expected, y * W);
        }
        CorruptionFilters.GaussianFilter(data, W, H, 1, sigma, truncate, Border.Reflect, new CorruptionWorkspace());
        for (int i = 0; i < data.Length; i++) Assert.Equal(expected[i], data[i], 1e-12);
    }

    [Fact]
    public void PilBoxResizeAveragesWholeBlocks()
    {
        // 6 -> 3 pixels: each output is the rounded mean of two inputs; 3 -> 6 repeats them
        byte[] src = [10, 20, 30, 41, 200, 0];
        var small = new byte[3];
        Resampler.Resize(src, 6, 1, 1, small, 3, 1, PillowFilter.Box);
        Assert.Equal(new byte[] { 15, 36, 100 }, small);
        var big = new byte[6];
        Resampler.Resize(small, 3, 1, 1, big, 6, 1, PillowFilter.Box);
        Assert.Equal(new byte[] { 15, 15, 36, 36, 100, 100 }, big);
    }

    [Fact]
    public void PlasmaFractalIsNormalizedAndReproducible()
    {
        var a = new double[64 * 64];
        var b = new double[64 * 64];
        var r1 = new PixMixRandom(2);
        var r2 = new PixMixRandom(2);
        CorruptionFilters.PlasmaFractal(a, 64, 2.0, ref r1);
        CorruptionFilters.PlasmaFractal(b, 64, 2.0, ref r2);
        Assert.Equal(a, b);
        Assert.Equal(0.0, a.Min());
        Assert.Equal(1.0, a.Max());
    }
}
