using PixMix.Imaging.Ops;

namespace PixMix.Imaging.Tests.Ops;

/// <summary>
/// The sampling overloads draw their parameters like the reference: l ~ U(0.1, level), int_parameter(l, max) =
/// trunc(l * max / 10), float_parameter(l, max) = l * max / 10, random sign with probability 1/2. Expected values
/// below are worked out from those formulas, not from the code.
/// </summary>
public class AugmentOpsSamplingTests
{
    private const int Draws = 20000;

    private static double[] Sample(PixMixOp op, double level, int width = 32, int height = 32, ulong seed = 7)
    {
        var rng = new PixMixRandom(seed);
        var values = new double[Draws];
        for (int i = 0; i < Draws; i++) values[i] = AugmentOps.SampleParameter(op, level, width, height, ref rng);
        return values;
    }

    private static double Fraction(double[] values, Func<double, bool> predicate) => values.Count(predicate) / (double)values.Length;

    [Fact]
    public void PosterizeBitsAre4Or3AtSeverity3And1To4AtSeverity10()
    {
        var s3 = Sample(PixMixOp.Posterize, 3);
        Assert.All(s3, b => Assert.Contains(b, new[] { 3.0, 4.0 }));
        // bits = 3 when l * 0.4 >= 1, i.e. l >= 2.5: probability 0.5 / 2.9.
        Assert.InRange(Fraction(s3, b => b == 3), 0.5 / 2.9 - 0.015, 0.5 / 2.9 + 0.015);

        var s10 = Sample(PixMixOp.Posterize, 10);
        Assert.All(s10, b => Assert.InRange(b, 1, 4));
        // bits = 1 when l >= 7.5 (probability 2.5 / 9.9); bits = 4 when l < 2.5 (probability 2.4 / 9.9).
        Assert.InRange(Fraction(s10, b => b == 1), 2.5 / 9.9 - 0.015, 2.5 / 9.9 + 0.015);
        Assert.InRange(Fraction(s10, b => b == 4), 2.4 / 9.9 - 0.015, 2.4 / 9.9 + 0.015);
    }

    [Fact]
    public void RotateDegreesAreIntegersWithin30WithEitherSign()
    {
        var s10 = Sample(PixMixOp.Rotate, 10);
        Assert.All(s10, d => { Assert.Equal(Math.Round(d), d); Assert.InRange(d, -29, 29); });
        var nonZero = s10.Where(d => d != 0).ToArray();
        Assert.InRange(Fraction(nonZero, d => d < 0), 0.48, 0.52);
        // |deg| = floor(u), u = 3 l ~ U(0.3, 30): E = (1 + ... + 29) / 29.7 = 435 / 29.7.
        Assert.InRange(s10.Average(Math.Abs), 435 / 29.7 - 0.3, 435 / 29.7 + 0.3);
        Assert.Contains(s10, d => Math.Abs(d) == 29);

        var s3 = Sample(PixMixOp.Rotate, 3);
        Assert.All(s3, d => Assert.InRange(d, -8, 8));
    }

    [Fact]
    public void SolarizeThresholdIs256MinusTrunc256L()
    {
        var s3 = Sample(PixMixOp.Solarize, 3);
        // l in [0.1, 3): 25.6 l in [2.56, 76.8), threshold in [180, 254].
        Assert.All(s3, t => { Assert.Equal(Math.Round(t), t); Assert.InRange(t, 180, 254); });
        Assert.InRange(s3.Average(), 256 - (25.6 * 1.55 - 0.5) - 0.7, 256 - (25.6 * 1.55 - 0.5) + 0.7);
    }

    [Theory]
    [InlineData(PixMixOp.ShearX)]
    [InlineData(PixMixOp.ShearY)]
    public void ShearIs003LWithEitherSign(PixMixOp op)
    {
        var s3 = Sample(op, 3);
        Assert.All(s3, s => Assert.InRange(Math.Abs(s), 0.003, 0.09));
        Assert.InRange(Fraction(s3, s => s < 0), 0.48, 0.52);
        Assert.InRange(s3.Average(Math.Abs), 0.03 * 1.55 - 0.001, 0.03 * 1.55 + 0.001);
    }

    [Fact]
    public void TranslateUsesTheWidthForXAndTheHeightForY()
    {
        // A 30 x 90 image at severity 3: x shift trunc(l * 10 / 10) <= 2, y shift trunc(l * 30 / 10) <= 8.
        var x = Sample(PixMixOp.TranslateX, 3, width: 30, height: 90);
        var y = Sample(PixMixOp.TranslateY, 3, width: 30, height: 90);
        Assert.All(x, t => { Assert.Equal(Math.Round(t), t); Assert.InRange(t, -2, 2); });
        Assert.All(y, t => { Assert.Equal(Math.Round(t), t); Assert.InRange(t, -8, 8); });
        Assert.Contains(x, t => t == 2);
        Assert.Contains(x, t => t == -2);
        Assert.Contains(y, t => t == 8);
        Assert.Contains(y, t => t == -8);
        Assert.InRange(Fraction(y.Where(t => t != 0).ToArray(), t => t < 0), 0.48, 0.52);

        // CIFAR size, severity 3: trunc(l * 32 / 30) with l < 3 is at most 3.
        var cifar = Sample(PixMixOp.TranslateX, 3);
        Assert.All(cifar, t => Assert.InRange(t, -3, 3));
        Assert.Contains(cifar, t => Math.Abs(t) == 3);
    }

    [Theory]
    [InlineData(PixMixOp.Color)]
    [InlineData(PixMixOp.Contrast)]
    [InlineData(PixMixOp.Brightness)]
    [InlineData(PixMixOp.Sharpness)]
    public void EnhanceFactorIs018LPlus01(PixMixOp op)
    {
        var s10 = Sample(op, 10);
        Assert.All(s10, f => Assert.InRange(f, 0.118, 1.9));
        Assert.InRange(s10.Average(), 0.18 * 5.05 + 0.1 - 0.02, 0.18 * 5.05 + 0.1 + 0.02);
        var s3 = Sample(op, 3);
        Assert.All(s3, f => Assert.InRange(f, 0.118, 0.64));
    }

    [Theory]
    [InlineData(PixMixOp.AutoContrast)]
    [InlineData(PixMixOp.Equalize)]
    public void AutoContrastAndEqualizeDrawNothing(PixMixOp op)
    {
        var rng = new PixMixRandom(3);
        var before = rng.State;
        var src = TestImages.Noise(8, 8, 3, 1);
        AugmentOps.Apply(op, src, new ImageU8(8, 8, 3), 3, ref rng);
        Assert.Equal(before, rng.State);
    }

    [Theory]
    [InlineData(PixMixOp.Posterize)]
    [InlineData(PixMixOp.Rotate)]
    [InlineData(PixMixOp.Solarize)]
    [InlineData(PixMixOp.ShearX)]
    [InlineData(PixMixOp.ShearY)]
    [InlineData(PixMixOp.TranslateX)]
    [InlineData(PixMixOp.TranslateY)]
    [InlineData(PixMixOp.Color)]
    [InlineData(PixMixOp.Contrast)]
    [InlineData(PixMixOp.Brightness)]
    [InlineData(PixMixOp.Sharpness)]
    public void ApplyEqualsTheDeterministicOverloadAtTheSampledParameter(PixMixOp op)
    {
        var src = TestImages.Noise(24, 40, 3, 5);
        for (ulong seed = 0; seed < 20; seed++)
        {
            var a = new PixMixRandom(seed);
            var b = new PixMixRandom(seed);
            var viaApply = new ImageU8(24, 40, 3);
            AugmentOps.Apply(op, src, viaApply, 10, ref a);
            double p = AugmentOps.SampleParameter(op, 10, 24, 40, ref b);
            // Same draws consumed.
            Assert.Equal(b.State, a.State);
            var direct = new ImageU8(24, 40, 3);
            switch (op)
            {
                case PixMixOp.Posterize: AugmentOps.Posterize(src, direct, (int)p); break;
                case PixMixOp.Rotate: AugmentOps.Rotate(src, direct, p); break;
                case PixMixOp.Solarize: AugmentOps.Solarize(src, direct, (int)p); break;
                case PixMixOp.ShearX: AugmentOps.ShearX(src, direct, p); break;
                case PixMixOp.ShearY: AugmentOps.ShearY(src, direct, p); break;
                case PixMixOp.TranslateX: AugmentOps.TranslateX(src, direct, (int)p); break;
                case PixMixOp.TranslateY: AugmentOps.TranslateY(src, direct, (int)p); break;
                case PixMixOp.Color: AugmentOps.Color(src, direct, p); break;
                case PixMixOp.Contrast: AugmentOps.Contrast(src, direct, p); break;
                case PixMixOp.Brightness: AugmentOps.Brightness(src, direct, p); break;
                case PixMixOp.Sharpness: AugmentOps.Sharpness(src, direct, p); break;
            }
            Assert.Equal(direct.Data, viaApply.Data);
        }
    }

    [Fact]
    public void SameSeedGivesTheSameResultAndDifferentSeedsDiffer()
    {
        var src = TestImages.Noise(32, 32, 3, 9);
        byte[] Run(ulong seed)
        {
            var rng = new PixMixRandom(seed);
            var a = new ImageU8(32, 32, 3);
            var b = new ImageU8(32, 32, 3);
            AugmentOps.Apply(PixMixOp.Rotate, src, a, 10, ref rng);
            AugmentOps.Apply(PixMixOp.Sharpness, a, b, 10, ref rng);
            AugmentOps.Apply(PixMixOp.ShearX, b, a, 10, ref rng);
            return a.Data;
        }
        Assert.Equal(Run(11), Run(11));
        Assert.NotEqual(Run(11), Run(12));
    }

    [Fact]
    public void LargeSeveritiesClampLikePIL()
    {
        // At severity 20 some draws give bits < 0 and thresholds < 0; PIL's results for those equal bits 0 and
        // threshold 0, which is what the sampler returns.
        var bits = Sample(PixMixOp.Posterize, 20);
        var thresholds = Sample(PixMixOp.Solarize, 20);
        Assert.All(bits, b => Assert.InRange(b, 0, 4));
        Assert.Contains(bits, b => b == 0);
        Assert.All(thresholds, t => Assert.InRange(t, 0, 256));
        Assert.Contains(thresholds, t => t == 0);
    }
}

/// <summary>Images whose buffers are longer than the pixels (pooled buffers) give the same results and keep the padding.</summary>
public class AugmentOpsBufferTests
{
    [Theory]
    [InlineData(32, 32, 3)]
    [InlineData(13, 7, 3)]
    [InlineData(17, 9, 1)]
    public void PaddedBuffersGiveTheSamePixelsAndLeaveThePaddingAlone(int w, int h, int c)
    {
        var exact = TestImages.Noise(w, h, c, 21);
        var padded = new ImageU8(w, h, c, new byte[exact.Length + 37]);
        padded.Data.AsSpan().Fill(0xEE);
        exact.Span.CopyTo(padded.Span);
        foreach (var op in Enum.GetValues<PixMixOp>())
        {
            for (ulong seed = 0; seed < 4; seed++)
            {
                var r1 = new PixMixRandom(seed);
                var r2 = new PixMixRandom(seed);
                var expected = new ImageU8(w, h, c);
                AugmentOps.Apply(op, exact, expected, 10, ref r1);
                var dst = new ImageU8(w, h, c, new byte[exact.Length + 37]);
                dst.Data.AsSpan().Fill(0x77);
                AugmentOps.Apply(op, padded, dst, 10, ref r2);
                Assert.Equal(expected.Data, dst.Span.ToArray());
                Assert.All(dst.Data.AsSpan(exact.Length).ToArray(), b => Assert.Equal(0x77, b));
            }
        }
    }
}

/// <summary>The operations allocate nothing on the managed heap once warmed up.</summary>
public class AugmentOpsAllocationTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void ApplyAllocatesNothing(int channels)
    {
        var src = TestImages.Noise(32, 24, channels, 4);
        var dst = new ImageU8(32, 24, channels);
        var rng = new PixMixRandom(1);
        for (int i = 0; i < 200; i++) AugmentOps.Apply((PixMixOp)(i % 13), src, dst, 10, ref rng);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1300; i++) AugmentOps.Apply((PixMixOp)(i % 13), src, dst, 10, ref rng);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
