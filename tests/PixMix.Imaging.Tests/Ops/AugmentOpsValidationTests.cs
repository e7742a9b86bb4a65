using PixMix.Imaging.Ops;

namespace PixMix.Imaging.Tests.Ops;

/// <summary>Bad parameters and images are rejected with exceptions that name the parameter and the expected range.</summary>
public class AugmentOpsValidationTests
{
    private static readonly ImageU8 Src = TestImages.Noise(8, 6, 3, 1);
    private static ImageU8 Dst => new(8, 6, 3);

    [Theory]
    [InlineData(-1)]
    [InlineData(9)]
    public void PosterizeRejectsBitsOutside0To8(int bits)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => AugmentOps.Posterize(Src, Dst, bits));
        Assert.Equal("bits", e.ParamName);
        Assert.Contains("[0, 8]", e.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(257)]
    public void SolarizeRejectsThresholdsOutside0To256(int threshold)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => AugmentOps.Solarize(Src, Dst, threshold));
        Assert.Equal("threshold", e.ParamName);
        Assert.Contains("[0, 256]", e.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void GeometricOpsRejectNonFiniteParameters(double value)
    {
        Assert.Equal("degrees", Assert.Throws<ArgumentOutOfRangeException>(() => AugmentOps.Rotate(Src, Dst, value)).ParamName);
        Assert.Equal("shear", Assert.Throws<ArgumentOutOfRangeException>(() => AugmentOps.ShearX(Src, Dst, value)).ParamName);
        Assert.Equal("shear", Assert.Throws<ArgumentOutOfRangeException>(() => AugmentOps.ShearY(Src, Dst, value)).ParamName);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void EnhanceOpsRejectNegativeOrNonFiniteFactors(double factor)
    {
        Action<ImageU8, ImageU8, double>[] ops = [AugmentOps.Color, AugmentOps.Contrast, AugmentOps.Brightness, AugmentOps.Sharpness];
        foreach (var op in ops)
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => op(Src, Dst, factor));
            Assert.Equal("factor", e.ParamName);
            Assert.Contains(">= 0", e.Message);
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    public void SamplingRejectsBadLevels(double level)
    {
        foreach (var op in Enum.GetValues<PixMixOp>())
        {
            var rng = new PixMixRandom(1);
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => AugmentOps.Apply(op, Src, Dst, level, ref rng));
            Assert.Equal("level", e.ParamName);
        }
    }

    [Fact]
    public void ApplyRejectsAnUnknownOp()
    {
        var rng = new PixMixRandom(1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => AugmentOps.Apply((PixMixOp)99, Src, Dst, 3, ref rng));
        Assert.Equal("op", e.ParamName);
    }

    public static TheoryData<string> ShapeMismatches() => new() { "width", "height", "channels" };

    [Theory]
    [MemberData(nameof(ShapeMismatches))]
    public void EveryOpRejectsADestinationOfAnotherShape(string which)
    {
        var dst = which switch
        {
            "width" => new ImageU8(9, 6, 3),
            "height" => new ImageU8(8, 7, 3),
            _ => new ImageU8(8, 6, 1),
        };
        foreach (var op in Enum.GetValues<PixMixOp>())
        {
            var rng = new PixMixRandom(1);
            var e = Assert.Throws<ArgumentException>(() => AugmentOps.Apply(op, Src, dst, 3, ref rng));
            Assert.Equal("dst", e.ParamName);
            Assert.Contains("expected 8x6x3", e.Message);
        }
    }

    [Fact]
    public void EveryOpRejectsWorkingInPlace()
    {
        var image = TestImages.Noise(8, 6, 3, 2);
        var alias = new ImageU8(8, 6, 3, image.Data);
        foreach (var op in Enum.GetValues<PixMixOp>())
        {
            var rng = new PixMixRandom(1);
            Assert.Equal("dst", Assert.Throws<ArgumentException>(() => AugmentOps.Apply(op, image, image, 3, ref rng)).ParamName);
            Assert.Equal("dst", Assert.Throws<ArgumentException>(() => AugmentOps.Apply(op, image, alias, 3, ref rng)).ParamName);
        }
    }

    [Fact]
    public void NullImagesAreRejected()
    {
        Assert.Equal("src", Assert.Throws<ArgumentNullException>(() => AugmentOps.AutoContrast(null!, Dst)).ParamName);
        Assert.Equal("dst", Assert.Throws<ArgumentNullException>(() => AugmentOps.Equalize(Src, null!)).ParamName);
    }
}
