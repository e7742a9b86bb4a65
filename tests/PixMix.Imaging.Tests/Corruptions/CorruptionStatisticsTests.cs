using PixMix.Imaging.Corruptions;

namespace PixMix.Imaging.Tests.Corruptions;

/// <summary>The random corruptions have the spread the reference parameters prescribe.</summary>
public class CorruptionStatisticsTests
{
    private const byte Grey = 128;
    private const double X = Grey / 255.0;

    private static (double Mean, double Std) ChangeStats(CorruptionKind kind, int severity, CorruptionParameterSet set, ulong seed = 7)
    {
        var src = CorruptionTestImages.Constant(96, 96, 3, Grey);
        var dst = new ImageU8(96, 96, 3);
        var rng = new PixMixRandom(seed);
        Corruptor.Apply(kind, severity, src, dst, ref rng, set);
        double sum = 0, sum2 = 0;
        foreach (byte v in dst.Span) { double d = v - Grey; sum += d; sum2 += d * d; }
        int n = dst.Length;
        double mean = sum / n;
        return (mean, Math.Sqrt(sum2 / n - mean * mean));
    }

    // sd of the change in levels: the noise's plus the truncation's (uniform, variance 1/12)
    private static double WithTruncation(double sdLevels) => Math.Sqrt(sdLevels * sdLevels + 1.0 / 12);

    [Theory]
    [InlineData(CorruptionParameterSet.Cifar, new[] { 0.04, 0.06, 0.08, 0.09, 0.10 })]
    [InlineData(CorruptionParameterSet.ImageNet, new[] { 0.08, 0.12 })] // larger sigmas clip at 0 and 255 from 128
    public void GaussianNoiseSpreadIsSigma(CorruptionParameterSet set, double[] sigmas)
    {
        double previous = 0;
        for (int s = 1; s <= sigmas.Length; s++)
        {
            var (mean, std) = ChangeStats(CorruptionKind.GaussianNoise, s, set);
            double expected = WithTruncation(sigmas[s - 1] * 255);
            Assert.InRange(std, expected * 0.97, expected * 1.03);
            double meanTolerance = 5 * expected / Math.Sqrt(96 * 96 * 3); // 5 standard errors
            Assert.InRange(mean, -0.5 - meanTolerance, -0.5 + meanTolerance); // unbiased noise, truncated to bytes
            Assert.True(std > previous, $"severity {s}: spread {std} does not grow");
            previous = std;
        }
    }

    [Fact]
    public void ShotNoiseVarianceIsXOverC()
    {
        double[] c = [500, 250, 100, 75, 50];
        double previous = 0;
        for (int s = 1; s <= 5; s++)
        {
            var (mean, std) = ChangeStats(CorruptionKind.ShotNoise, s, CorruptionParameterSet.Cifar);
            double expected = WithTruncation(255 * Math.Sqrt(X / c[s - 1]));
            Assert.InRange(std, expected * 0.96, expected * 1.04);
            double meanTolerance = 5 * expected / Math.Sqrt(96 * 96 * 3);
            Assert.InRange(mean, -0.5 - meanTolerance, -0.5 + meanTolerance);
            Assert.True(std > previous);
            previous = std;
        }
    }

    [Fact]
    public void SpeckleNoiseSpreadIsProportionalToTheValue()
    {
        double[] sigmas = [0.06, 0.1, 0.12, 0.16, 0.2];
        for (int s = 1; s <= 5; s++)
        {
            var (_, std) = ChangeStats(CorruptionKind.SpeckleNoise, s, CorruptionParameterSet.Cifar);
            double expected = WithTruncation(255 * X * sigmas[s - 1]);
            Assert.InRange(std, expected * 0.97, expected * 1.03);
        }
        // a black picture has no speckle at all
        var black = CorruptionTestImages.Constant(16, 16, 3, 0);
        var dst = new ImageU8(16, 16, 3);
        var rng = new PixMixRandom(3);
        Corruptor.SpeckleNoise(black, dst, 5, ref rng, CorruptionParameterSet.Cifar);
        Assert.All(dst.Data, v => Assert.Equal(0, v));
    }

    [Theory]
    [InlineData(CorruptionParameterSet.Cifar, new[] { 0.01, 0.02, 0.03, 0.05, 0.07 })]
    [InlineData(CorruptionParameterSet.ImageNet, new[] { 0.03, 0.06, 0.09, 0.17, 0.27 })]
    public void ImpulseNoiseFlipsTheAmount(CorruptionParameterSet set, double[] amounts)
    {
        for (int s = 1; s <= 5; s++)
        {
            var src = CorruptionTestImages.Constant(96, 96, 3, Grey);
            var dst = new ImageU8(96, 96, 3);
            var rng = new PixMixRandom((ulong)s);
            Corruptor.ImpulseNoise(src, dst, s, ref rng, set);
            int salt = dst.Data.Count(v => v == 255), pepper = dst.Data.Count(v => v == 0), kept = dst.Data.Count(v => v == Grey);
            int n = dst.Length;
            Assert.Equal(n, salt + pepper + kept);
            double p = amounts[s - 1], sd = Math.Sqrt(n * p * (1 - p));
            Assert.InRange(salt + pepper, n * p - 4 * sd, n * p + 4 * sd);
            double half = Math.Sqrt((salt + pepper) * 0.25);
            Assert.InRange(salt, (salt + pepper) / 2.0 - 4 * half, (salt + pepper) / 2.0 + 4 * half);
        }
    }

    [Theory]
    [InlineData(CorruptionKind.Contrast)]
    [InlineData(CorruptionKind.Brightness)]
    [InlineData(CorruptionKind.ZoomBlur)]
    [InlineData(CorruptionKind.GaussianBlur)]
    [InlineData(CorruptionKind.DefocusBlur)]
    [InlineData(CorruptionKind.JpegCompression)]
    [InlineData(CorruptionKind.GaussianNoise)]
    [InlineData(CorruptionKind.ImpulseNoise)]
    [InlineData(CorruptionKind.Fog)]
    public void ChangeGrowsWithSeverity(CorruptionKind kind)
    {
        var src = CorruptionTestImages.Textured(32, 32, 3);
        double previous = 0;
        for (int s = 1; s <= 5; s++)
        {
            var dst = new ImageU8(32, 32, 3);
            var rng = new PixMixRandom(11);
            Corruptor.Apply(kind, s, src, dst, ref rng, CorruptionParameterSet.Cifar);
            double change = CorruptionTestImages.MeanAbsDiff(src, dst);
            Assert.True(change > previous, $"{kind} severity {s}: mean change {change:F2} <= {previous:F2}");
            previous = change;
        }
    }
}
