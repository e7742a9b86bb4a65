
namespace PixMix.Imaging.Tests.Core;

public class PixelLayoutTests
{
    [Fact]
    public void ToUnitIsTheCorrectlyRoundedQuotientForEveryByte()
    {
        // 256 values plus 7: every byte goes through the vector path, and the last 7 through the scalar tail.
        var bytes = Enumerable.Range(0, 263).Select(i => (byte)(i % 256)).ToArray();
        var floats = new float[263];
        PixelLayout.ToUnit(bytes, floats);
        for (int i = 0; i < bytes.Length; i++)
            Assert.True(bytes[i] / 255f == floats[i], $"byte {bytes[i]}: {floats[i]:R} is not {bytes[i] / 255f:R}");
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 8)]
    [InlineData(3, 37)]
    [InlineData(1, 5)]
    [InlineData(1, 50)]
    public void BytesToPlanarIsToTensorThenNormalize(int channels, int pixels)
    {
        var img = Ops.TestImages.Noise(pixels, 1, channels, seed: pixels);
        float[] mean = channels == 3 ? [0.485f, 0.456f, 0.406f] : [0.5f], std = channels == 3 ? [0.229f, 0.224f, 0.225f] : [0.5f];
        var actual = new float[pixels * channels];
        PixelLayout.ToPlanar(img.Span, actual, channels, mean, std);
        var plain = new float[pixels * channels];
        PixelLayout.ToPlanar(img.Span, plain, channels, default, default);
        for (int p = 0; p < pixels; p++)
            for (int c = 0; c < channels; c++)
            {
                byte v = img.Span[p * channels + c];
                Assert.Equal(v / 255f, plain[c * pixels + p]);
                Assert.Equal((v / 255f - mean[c]) * (1f / std[c]), actual[c * pixels + p]);
            }
    }

    [Theory]
    [InlineData(3, 16)]
    [InlineData(3, 21)]
    [InlineData(1, 19)]
    public void FloatsToPlanarMovesEveryValueToItsPlane(int channels, int pixels)
    {
        // Value 1000c + p marks channel c of pixel p.
        var hwc = new float[pixels * channels];
        for (int p = 0; p < pixels; p++) for (int c = 0; c < channels; c++) hwc[p * channels + c] = 1000 * c + p;
        var chw = new float[hwc.Length];
        PixelLayout.ToPlanar(hwc, chw, channels, default, default);
        for (int c = 0; c < channels; c++)
            for (int p = 0; p < pixels; p++)
                Assert.Equal(1000 * c + p, chw[c * pixels + p]);

        var normalized = new float[hwc.Length];
        float[] mean = Enumerable.Repeat(10f, channels).ToArray(), std = Enumerable.Repeat(4f, channels).ToArray();
        PixelLayout.ToPlanar(hwc, normalized, channels, mean, std);
        Assert.Equal((1000f * (channels - 1) + 3 - 10f) / 4f, normalized[(channels - 1) * pixels + 3]);
    }

    [Fact]
    public void BadArgumentsNameWhatIsWrong()
    {
        var e = Assert.Throws<ArgumentException>(() => PixelLayout.ToPlanar(new float[10], new float[10], 3, default, default));
        Assert.Contains("multiple of 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => PixelLayout.ToPlanar(new byte[9], new float[9], 3, [0.5f], [0.5f]));
        Assert.Contains("3 means", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelLayout.ToPlanar(new byte[3], new float[3], 3, [0f, 0f, 0f], [1f, 0f, 1f]));
        e = Assert.Throws<ArgumentException>(() => PixelLayout.ToUnit(new byte[9], new float[8]));
        Assert.Contains("dst", e.Message);
    }
}
