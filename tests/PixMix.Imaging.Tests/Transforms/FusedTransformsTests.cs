using PixMix.Imaging.Transforms;

namespace PixMix.Imaging.Tests.Transforms;

/// <summary>The one-pass crop+flip transforms give what the two separate steps give, and the box resize is a triangle filter.</summary>
public class FusedTransformsTests
{
    [Theory]
    [InlineData(32, 32, 3, 4)]
    [InlineData(28, 28, 1, 4)]
    [InlineData(40, 31, 3, 2)]
    public void RandomCropFlipIsRandomCropThenRandomHorizontalFlip(int w, int h, int c, int padding)
    {
        var src = Ops.TestImages.Noise(w, h, c, seed: w + c);
        var fused = new ImageU8(28, 28, c); var crop = new ImageU8(28, 28, c); var twoStep = new ImageU8(28, 28, c);
        int flips = 0;
        for (int seed = 0; seed < 60; seed++)
        {
            var r1 = new PixMixRandom((ulong)seed); var r2 = new PixMixRandom((ulong)seed);
            ImageTransforms.RandomCropFlip(src, fused, padding, ref r1);
            ImageTransforms.RandomCrop(src, crop, padding, ref r2);
            if (ImageTransforms.RandomHorizontalFlip(crop, twoStep, ref r2)) flips++;
            Assert.Equal(twoStep.Span.ToArray(), fused.Span.ToArray());
            Assert.Equal(r2.NextDouble(), r1.NextDouble());
        }
        Assert.InRange(flips, 15, 45);
    }

    [Fact]
    public void RandomResizedCropFlipIsRandomResizedCropThenRandomHorizontalFlip()
    {
        var src = Ops.TestImages.Noise(96, 80, 3, seed: 4);
        var fused = new ImageU8(64, 64, 3); var crop = new ImageU8(64, 64, 3); var twoStep = new ImageU8(64, 64, 3);
        int flips = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            var r1 = new PixMixRandom((ulong)seed); var r2 = new PixMixRandom((ulong)seed);
            ImageTransforms.RandomResizedCropFlip(src, fused, ref r1);
            ImageTransforms.RandomResizedCrop(src, crop, ref r2);
            if (ImageTransforms.RandomHorizontalFlip(crop, twoStep, ref r2)) flips++;
            Assert.Equal(twoStep.Span.ToArray(), fused.Span.ToArray());
        }
        Assert.InRange(flips, 8, 32);
    }

    [Theory]
    [InlineData(3, 10, 7, 50, 41, 224, 224)]   // upscale, RGB, all-vector rows
    [InlineData(3, 0, 0, 256, 256, 224, 224)]  // slight downscale over the whole image (reads the last byte)
    [InlineData(3, 5, 9, 90, 70, 33, 17)]     // strong downscale, rows with a scalar tail
    [InlineData(1, 3, 2, 20, 30, 45, 40)]     // grey
    public void BoxResizeIsATriangleFilter(int c, int x0, int y0, int bw, int bh, int ow, int oh)
    {
        var src = Ops.TestImages.Noise(256, 256, c, seed: bw);
        var dst = new ImageU8(ow, oh, c);
        Resampler.Resize(src, x0, y0, bw, bh, dst);
        var mirrored = new ImageU8(ow, oh, c);
        Resampler.Resize(src, x0, y0, bw, bh, mirrored, mirror: true);
        var (wx, fx) = Triangle(256, x0, bw, ow);
        var (wy, fy) = Triangle(256, y0, bh, oh);
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
                for (int ch = 0; ch < c; ch++)
                {
                    double acc = 0;
                    for (int ty = 0; ty < wy[y].Length; ty++)
                        for (int tx = 0; tx < wx[x].Length; tx++)
                            acc += wy[y][ty] * wx[x][tx] * src[fx[x] + tx, fy[y] + ty, ch];
                    double expected = Math.Clamp(Math.Round(acc), 0, 255);
                    Assert.InRange(dst[x, y, ch], expected - 1, expected + 1);
                    Assert.Equal(dst[x, y, ch], mirrored[ow - 1 - x, y, ch]);
                }
    }

    /// <summary>Triangle-filter taps written out directly: support max(scale, 1), centred on (o + 0.5) * scale.</summary>
    private static (double[][] Weights, int[] First) Triangle(int inSize, double offset, double box, int outSize)
    {
        double scale = box / outSize, support = Math.Max(scale, 1);
        var weights = new double[outSize][]; var first = new int[outSize];
        for (int o = 0; o < outSize; o++)
        {
            double center = offset + (o + 0.5) * scale;
            int lo = Math.Max(0, (int)Math.Floor(center - support)), hi = Math.Min(inSize - 1, (int)Math.Ceiling(center + support));
            var w = Enumerable.Range(lo, hi - lo + 1).Select(j => Math.Max(0, 1 - Math.Abs((j + 0.5 - center) / support))).ToArray();
            double sum = w.Sum();
            weights[o] = w.Select(v => v / sum).ToArray(); first[o] = lo;
        }
        return (weights, first);
    }
}
