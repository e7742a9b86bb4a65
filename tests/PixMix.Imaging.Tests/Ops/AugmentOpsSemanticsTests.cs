using PixMix.Imaging.Ops;

namespace PixMix.Imaging.Tests.Ops;

/// <summary>Small hand-computed cases of the operations' meaning (independent of the PIL fixtures).</summary>
public class AugmentOpsSemanticsTests
{
    private static ImageU8 Run(Action<ImageU8, ImageU8> op, ImageU8 src)
    {
        var dst = new ImageU8(src.Width, src.Height, src.Channels);
        op(src, dst);
        return dst;
    }

    [Fact]
    public void PosterizeKeepsTheTopBits()
    {
        var src = TestImages.FromRows(1, [0b1011_0111, 0b0001_1111, 255]);
        Assert.Equal(new byte[] { 0b1010_0000, 0b0000_0000, 0b1110_0000 }, Run((s, d) => AugmentOps.Posterize(s, d, 3), src).Data);
        Assert.Equal(new byte[] { 0, 0, 0 }, Run((s, d) => AugmentOps.Posterize(s, d, 0), src).Data);
        Assert.Equal(src.Data, Run((s, d) => AugmentOps.Posterize(s, d, 8), src).Data);
    }

    [Fact]
    public void SolarizeInvertsValuesAtOrAboveTheThreshold()
    {
        var src = TestImages.FromRows(1, [0, 127, 128, 200, 255]);
        Assert.Equal(new byte[] { 0, 127, 127, 55, 0 }, Run((s, d) => AugmentOps.Solarize(s, d, 128), src).Data);
        Assert.Equal(new byte[] { 255, 128, 127, 55, 0 }, Run((s, d) => AugmentOps.Solarize(s, d, 0), src).Data);
        Assert.Equal(src.Data, Run((s, d) => AugmentOps.Solarize(s, d, 256), src).Data);
    }

    [Fact]
    public void AutoContrastStretchesEachChannelSeparately()
    {
        // R in [50, 100]: v * (255 / 50) - 50 * (255 / 50) truncated; as in PIL, 100 maps to 254 because
        // 100 * 5.1 + (-255.0) is 254.99999999999994 in double precision. G constant 7 stays; B spans [0, 255] and stays.
        var src = TestImages.FromRows(3, [50, 7, 0, 100, 7, 255, 75, 7, 128]);
        Assert.Equal(new byte[] { 0, 7, 0, 254, 7, 255, 127, 7, 128 }, Run(AugmentOps.AutoContrast, src).Data);
    }

    [Fact]
    public void EqualizeMapsATwoLevelChannelWithPILSteps()
    {
        // Values 10 (x3) and 20 (x1): step = (4 - 1) // 255 = 0 -> unchanged.
        var small = TestImages.FromRows(1, [10, 10, 10, 20]);
        Assert.Equal(small.Data, Run(AugmentOps.Equalize, small).Data);
        // 510 pixels of 10 and 510 of 20: step = (1020 - 510) // 255 = 2, lut[10] = 1 // 2 = 0,
        // lut[20] = (1 + 510) // 2 = 255.
        var big = new ImageU8(1020, 1, 1);
        for (int i = 0; i < 1020; i++) big.Data[i] = (byte)(i < 510 ? 10 : 20);
        var eq = Run(AugmentOps.Equalize, big);
        Assert.Equal(0, eq.Data[0]);
        Assert.Equal(255, eq.Data[1019]);
    }

    [Fact]
    public void TranslateShiftsAndFillsWithZero()
    {
        var src = TestImages.FromRows(1, [1, 2, 3], [4, 5, 6]);
        Assert.Equal(new byte[] { 2, 3, 0, 5, 6, 0 }, Run((s, d) => AugmentOps.TranslateX(s, d, 1), src).Data);
        Assert.Equal(new byte[] { 0, 0, 1, 0, 0, 4 }, Run((s, d) => AugmentOps.TranslateX(s, d, -2), src).Data);
        Assert.Equal(new byte[] { 4, 5, 6, 0, 0, 0 }, Run((s, d) => AugmentOps.TranslateY(s, d, 1), src).Data);
        Assert.Equal(new byte[6], Run((s, d) => AugmentOps.TranslateY(s, d, int.MinValue), src).Data);
        Assert.Equal(new byte[6], Run((s, d) => AugmentOps.TranslateX(s, d, int.MaxValue), src).Data);
    }

    [Fact]
    public void Rotate90IsCounterClockwise()
    {
        // 1 2      2 4
        // 3 4  ->  1 3
        var src = TestImages.FromRows(1, [1, 2], [3, 4]);
        Assert.Equal(new byte[] { 2, 4, 1, 3 }, Run((s, d) => AugmentOps.Rotate(s, d, 90), src).Data);
        Assert.Equal(new byte[] { 3, 1, 4, 2 }, Run((s, d) => AugmentOps.Rotate(s, d, -90), src).Data);
        Assert.Equal(new byte[] { 4, 3, 2, 1 }, Run((s, d) => AugmentOps.Rotate(s, d, 540), src).Data);
        Assert.Equal(src.Data, Run((s, d) => AugmentOps.Rotate(s, d, -720), src).Data);
    }

    [Fact]
    public void ShearXByOneSamplesXPlusY()
    {
        // Output (x, y) maps to u = (x + 0.5) + (y + 0.5); u outside [0, 4) gives 0, otherwise the value at
        // u - 0.5 = x + y + 0.5 is halfway between pixels x + y and x + y + 1: (0+100)/2, (100+200)/2, (200+255)/2
        // truncated, then 0 from u = 4 on.
        var src = TestImages.FromRows(1, [0, 100, 200, 255], [0, 100, 200, 255]);
        var sheared = Run((s, d) => AugmentOps.ShearX(s, d, 1.0), src);
        Assert.Equal(new byte[] { 50, 150, 227, 0, 150, 227, 0, 0 }, sheared.Data);
    }

    [Fact]
    public void BrightnessAndContrastBlendInSinglePrecisionAndTruncate()
    {
        var src = TestImages.FromRows(1, [255, 101, 0, 200]);
        // 0.5 * 255 = 127.5 -> 127; 0.5 * 101 = 50.5 -> 50.
        Assert.Equal(new byte[] { 127, 50, 0, 100 }, Run((s, d) => AugmentOps.Brightness(s, d, 0.5), src).Data);
        // Factor 2 saturates.
        Assert.Equal(new byte[] { 255, 202, 0, 255 }, Run((s, d) => AugmentOps.Brightness(s, d, 2), src).Data);
        // Mean (255 + 101 + 0 + 200) / 4 = 139 -> grey 139; factor 0 gives the flat grey.
        Assert.Equal(new byte[] { 139, 139, 139, 139 }, Run((s, d) => AugmentOps.Contrast(s, d, 0), src).Data);
        // Factor 2: 139 + 2 (v - 139) = 371 -> 255, 63, -139 -> 0, 261 -> 255.
        Assert.Equal(new byte[] { 255, 63, 0, 255 }, Run((s, d) => AugmentOps.Contrast(s, d, 2), src).Data);
    }

    [Fact]
    public void ColorZeroGivesPILLumaAndLeavesGreyImagesAlone()
    {
        // L = (19595 * 200 + 38470 * 100 + 7471 * 50 + 32768) >> 16 = 124.
        var src = TestImages.FromRows(3, [200, 100, 50]);
        Assert.Equal(new byte[] { 124, 124, 124 }, Run((s, d) => AugmentOps.Color(s, d, 0), src).Data);
        var grey = TestImages.Noise(5, 4, 1, 3);
        Assert.Equal(grey.Data, Run((s, d) => AugmentOps.Color(s, d, 1.7), grey).Data);
    }

    [Fact]
    public void SharpnessZeroIsTheSmoothFilterWithTheBorderUnchanged()
    {
        // Centre: (8 * 13 + 5 * 130) / 13 + 0.5 = 58 + 0.5 -> 58.
        var src = TestImages.FromRows(1, [13, 13, 13], [13, 130, 13], [13, 13, 13]);
        var smooth = Run((s, d) => AugmentOps.Sharpness(s, d, 0), src);
        Assert.Equal(new byte[] { 13, 13, 13, 13, 58, 13, 13, 13, 13 }, smooth.Data);
        // Factor 2: 58 + 2 (130 - 58) = 202.
        var sharp = Run((s, d) => AugmentOps.Sharpness(s, d, 2), src);
        Assert.Equal(202, sharp.Data[4]);
    }
}
