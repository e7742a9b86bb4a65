using PixMix.Imaging;

namespace PixMix.Imaging.Tests.Core;

public class PixMixRandomTests
{
    [Fact]
    public void StreamsAreReproducibleAndDistinct()
    {
        var a = PixMixRandom.For(1, 2, 3); var b = PixMixRandom.For(1, 2, 3);
        var c = PixMixRandom.For(1, 2, 4); var d = PixMixRandom.For(1, 3, 3);
        ulong x = a.NextUInt64();
        Assert.Equal(x, b.NextUInt64());
        Assert.NotEqual(x, c.NextUInt64());
        Assert.NotEqual(x, d.NextUInt64());
    }

    [Fact]
    public void StateRoundTrips()
    {
        var a = new PixMixRandom(99);
        a.NextDouble();
        var b = PixMixRandom.FromState(a.State);
        Assert.Equal(a.NextUInt64(), b.NextUInt64());
    }

    [Theory]
    [InlineData(3.0, 1.0)]
    [InlineData(1.0, 3.0)]
    [InlineData(1.0, 4.0)]
    [InlineData(2.0, 5.0)]
    public void BetaHasTheRightMeanVarianceAndCdf(double a, double b)
    {
        var r = new PixMixRandom(11);
        const int n = 60_000;
        double sum = 0, sum2 = 0; int belowHalf = 0;
        for (int i = 0; i < n; i++)
        {
            double v = r.NextBeta(a, b);
            Assert.InRange(v, 0, 1);
            sum += v; sum2 += v * v; if (v <= 0.5) belowHalf++;
        }
        double mean = a / (a + b), variance = a * b / ((a + b) * (a + b) * (a + b + 1));
        Assert.InRange(sum / n, mean - 0.004, mean + 0.004);
        Assert.InRange(sum2 / n - (sum / n) * (sum / n), variance * 0.96, variance * 1.04);
        // P(X <= 1/2): Beta(3,1): 1/8; Beta(1,b): 1 - 2^-b; Beta(2,5): 57/64 (by the binomial sum).
        double cdf = (a, b) switch { (3, 1) => 0.125, (1, _) => 1 - Math.Pow(0.5, b), _ => 57.0 / 64 };
        Assert.InRange(belowHalf / (double)n, cdf - 0.006, cdf + 0.006);
    }

    [Fact]
    public void BetaRejectsShapesThatAreNotPositive()
    {
        var r = new PixMixRandom(1);
        Assert.Equal("a", Assert.Throws<ArgumentOutOfRangeException>(() => r.NextBeta(0, 1)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentOutOfRangeException>(() => r.NextBeta(2, double.NaN)).ParamName);
    }

    [Fact]
    public void DistributionsHaveTheRightMoments()
    {
        var r = new PixMixRandom(5);
        const int n = 50_000;
        double sb = 0, sg = 0, sp = 0, sp2 = 0, sn = 0, sn2 = 0;
        var counts = new int[7];
        for (int i = 0; i < n; i++)
        {
            sb += r.NextBeta(3, 1);
            sg += r.NextGamma(0.5);
            double p = r.NextPoisson(100); sp += p; sp2 += p * p;
            double g = r.NextGaussian(); sn += g; sn2 += g * g;
            counts[r.NextInt(7)]++;
        }
        Assert.InRange(sb / n, 0.745, 0.755);     // Beta(3,1): 3/4
        Assert.InRange(sg / n, 0.49, 0.51);       // Gamma(0.5): 0.5
        Assert.InRange(sp / n, 99.7, 100.3);      // Poisson(100): mean 100, variance 100
        Assert.InRange(sp2 / n - (sp / n) * (sp / n), 97, 103);
        Assert.InRange(sn / n, -0.015, 0.015);
        Assert.InRange(sn2 / n, 0.98, 1.02);
        Assert.All(counts, c => Assert.InRange(c / (double)n, 1 / 7.0 - 0.007, 1 / 7.0 + 0.007));
        var small = new PixMixRandom(6); double ss = 0;
        for (int i = 0; i < n; i++) ss += small.NextPoisson(2.5);
        Assert.InRange(ss / n, 2.47, 2.53);
    }
}
