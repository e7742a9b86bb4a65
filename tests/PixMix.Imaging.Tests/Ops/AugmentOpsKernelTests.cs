using PixMix.Imaging.Ops;

namespace PixMix.Imaging.Tests.Ops;

/// <summary>
/// The operations' vector kernels (blocks of 16 to 96 values, overlapping last blocks, runs of pixels without
/// clamped neighbours) agree exactly with <see cref="PilReference"/> on sizes the Pillow fixtures do not cover:
/// 224x224 (the ImageNet size), odd widths and heights, tiny images, RGB and grey, noise and smooth content.
/// </summary>
public class AugmentOpsKernelTests
{
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 224, 224, 3 }, { 33, 17, 3 }, { 17, 33, 3 }, { 7, 5, 3 }, { 64, 3, 3 }, { 224, 224, 1 }, { 33, 17, 1 },
    };

    private static IEnumerable<ImageU8> Inputs(int width, int height, int channels)
    {
        yield return TestImages.Noise(width, height, channels, seed: width * 1000 + height * 10 + channels);
        // Smooth content: long runs of equal and slowly changing values, a narrow value range per channel.
        var smooth = new ImageU8(width, height, channels);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    smooth[x, y, c] = (byte)(40 + c * 30 + (x * 3 + y * 2) / 5 % 120);
        yield return smooth;
    }

    private static void AssertSame(ImageU8 expected, ImageU8 actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            if (expected.Data[i] != actual.Data[i])
                Assert.Fail($"{what} {expected.Width}x{expected.Height}x{expected.Channels}: byte {i} is {actual.Data[i]}, reference {expected.Data[i]}.");
    }

    private static void Check(int width, int height, int channels, Func<ImageU8, ImageU8> reference, Action<ImageU8, ImageU8> op, string what)
    {
        foreach (var src in Inputs(width, height, channels))
        {
            var dst = new ImageU8(width, height, channels);
            dst.Span.Fill(0xA5);
            op(src, dst);
            AssertSame(reference(src), dst, what);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void PointOperationsMatchTheReference(int width, int height, int channels)
    {
        Check(width, height, channels, PilReference.AutoContrast, AugmentOps.AutoContrast, "autocontrast");
        Check(width, height, channels, PilReference.Equalize, AugmentOps.Equalize, "equalize");
    }

    [Fact]
    public void AutoContrastMatchesTheReferenceForManyChannelRanges()
    {
        // Large enough for the single-precision mapping, which is used only when it reproduces the double-precision
        // table for every value; 60 images of random per-channel ranges take both that and the double path.
        var random = new Random(7);
        for (int k = 0; k < 60; k++)
        {
            var src = new ImageU8(96, 64, 3);
            for (int c = 0; c < 3; c++)
            {
                int lo = random.Next(0, 255), hi = random.Next(lo + 1, 256);
                for (int i = c; i < src.Length; i += 3) src.Data[i] = (byte)random.Next(lo, hi + 1);
                src.Data[c] = (byte)lo;
                src.Data[3 + c] = (byte)hi;
            }
            var dst = new ImageU8(96, 64, 3);
            AugmentOps.AutoContrast(src, dst);
            AssertSame(PilReference.AutoContrast(src), dst, $"autocontrast image {k}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EnhanceOperationsMatchTheReference(int width, int height, int channels)
    {
        foreach (double factor in new[] { 0.0, 0.1, 0.73, 1.9, 3.5, 1e9 })
        {
            Check(width, height, channels, s => PilReference.Color(s, factor), (s, d) => AugmentOps.Color(s, d, factor), $"color {factor}");
            Check(width, height, channels, s => PilReference.Contrast(s, factor), (s, d) => AugmentOps.Contrast(s, d, factor), $"contrast {factor}");
            Check(width, height, channels, s => PilReference.Brightness(s, factor), (s, d) => AugmentOps.Brightness(s, d, factor), $"brightness {factor}");
            Check(width, height, channels, s => PilReference.Sharpness(s, factor), (s, d) => AugmentOps.Sharpness(s, d, factor), $"sharpness {factor}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GeometricOperationsMatchTheReference(int width, int height, int channels)
    {
        foreach (double degrees in new[] { 17.0, -29.0, 3.0, 45.0, -90.0 })
            Check(width, height, channels, s => PilReference.Rotate(s, degrees), (s, d) => AugmentOps.Rotate(s, d, degrees), $"rotate {degrees}");
        foreach (double shear in new[] { 0.17, -0.3, 0.029, -0.011 })
        {
            Check(width, height, channels, s => PilReference.Affine(s, 1, shear, 0, 0, 1, 0), (s, d) => AugmentOps.ShearX(s, d, shear), $"shear_x {shear}");
            Check(width, height, channels, s => PilReference.Affine(s, 1, 0, 0, shear, 1, 0), (s, d) => AugmentOps.ShearY(s, d, shear), $"shear_y {shear}");
        }
    }
}
