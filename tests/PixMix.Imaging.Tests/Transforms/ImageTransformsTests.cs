using PixMix.Imaging;
using PixMix.Imaging.Transforms;

namespace PixMix.Imaging.Tests.Transforms;

public class ImageTransformsTests
{
    [Fact]
    public void CropPadsWithZerosOutsideTheSource()
    {
        var src = TestImages.Gradient(4, 4, c: 1);
        var dst = new ImageU8(4, 4, 1);
        ImageTransforms.Crop(src, -1, 2, dst);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
            {
                int sx = x - 1, sy = y + 2;
                byte expected = sx >= 0 && sy < 4 ? src[sx, sy, 0] : (byte)0;
                Assert.Equal(expected, dst[x, y, 0]);
            }
    }

    [Fact]
    public void RandomCropCoversEveryOffsetOfThePaddedImage()
    {
        // A 1-pixel marker in a 32x32 image: with padding 4 its position in the crop spans 9 x 9 offsets.
        var src = new ImageU8(32, 32, 1);
        src[10, 10, 0] = 255;
        var dst = new ImageU8(32, 32, 1);
        var seen = new HashSet<(int, int)>();
        var rng = new PixMixRandom(5);
        for (int i = 0; i < 3000; i++)
        {
            ImageTransforms.RandomCrop(src, dst, 4, ref rng);
            int at = dst.Span.IndexOf((byte)255);
            Assert.True(at >= 0);
            seen.Add((at % 32 - 10, at / 32 - 10));
        }
        Assert.Equal(81, seen.Count);
        Assert.All(seen, s => { Assert.InRange(s.Item1, -4, 4); Assert.InRange(s.Item2, -4, 4); });
    }

    [Fact]
    public void FlipMirrorsRowsAndRandomFlipIsFair()
    {
        var src = TestImages.Gradient(5, 3);
        var dst = new ImageU8(5, 3, 3);
        ImageTransforms.FlipHorizontal(src, dst);
        for (int y = 0; y < 3; y++) for (int x = 0; x < 5; x++) for (int c = 0; c < 3; c++)
            Assert.Equal(src[4 - x, y, c], dst[x, y, c]);
        var copy = src.Clone();
        ImageTransforms.FlipHorizontal(copy, copy);
        Assert.Equal(dst.Span.ToArray(), copy.Span.ToArray());

        // Wide rows go through the 5-pixel vector path and its scalar edges.
        foreach (int width in new[] { 7, 11, 37, 224 })
        {
            var wide = Ops.TestImages.Noise(width, 2, 3, seed: width);
            var mirrored = new ImageU8(width, 2, 3);
            ImageTransforms.FlipHorizontal(wide, mirrored);
            for (int y = 0; y < 2; y++) for (int x = 0; x < width; x++) for (int c = 0; c < 3; c++)
                Assert.Equal(wide[width - 1 - x, y, c], mirrored[x, y, c]);
        }

        var rng = new PixMixRandom(2);
        int flips = 0;
        for (int i = 0; i < 10_000; i++) if (ImageTransforms.RandomHorizontalFlip(src, dst, ref rng)) flips++;
        Assert.InRange(flips, 4800, 5200);
    }

    [Fact]
    public void CenterCropTakesTheMiddle()
    {
        var src = TestImages.Gradient(10, 8, c: 1);
        var dst = new ImageU8(4, 4, 1);
        ImageTransforms.CenterCrop(src, dst);
        Assert.Equal(src[3, 2, 0], dst[0, 0, 0]);
        Assert.Equal(src[6, 5, 0], dst[3, 3, 0]);
    }

    [Fact]
    public void ShorterSideResizeKeepsTheAspectRatio()
    {
        Assert.Equal((36, 54), ImageTransforms.ShorterSideSize(40, 60, 36));
        Assert.Equal((341, 256), ImageTransforms.ShorterSideSize(500, 375, 256));
    }

    [Fact]
    public void ResizeKeepsConstantsAndAveragesWhenShrinking()
    {
        var flat = new ImageU8(50, 30, 3); flat.Span.Fill(77);
        var small = new ImageU8(13, 7, 3);
        Resampler.Resize(flat, small);
        Assert.All(small.Span.ToArray(), v => Assert.Equal(77, v));

        // A 1-px checkerboard halved becomes mid-grey (antialiased), not aliased black/white.
        var checker = new ImageU8(32, 32, 1);
        for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) checker[x, y, 0] = (byte)((x + y) % 2 == 0 ? 255 : 0);
        var half = new ImageU8(16, 16, 1);
        Resampler.Resize(checker, half);
        for (int y = 1; y < 15; y++) for (int x = 1; x < 15; x++) Assert.InRange(half[x, y, 0], 120, 135);
    }

    [Theory]
    [InlineData(24, 24)]
    [InlineData(31, 17)]
    public void RandomResizedCropProducesTheRequestedSize(int width, int height)
    {
        var src = TestImages.Gradient(80, 60);
        var rng = new PixMixRandom(3);
        var replay = new PixMixRandom(3);
        for (int i = 0; i < 50; i++)
        {
            // Every pixel of the requested size is written: two outputs that start different end the same.
            var dst = new ImageU8(width, height, 3);
            dst.Span.Fill(0);
            ImageTransforms.RandomResizedCrop(src, dst, ref rng);
            // It is the sampled box, inside the source, resized to exactly width x height.
            var (left, top, boxWidth, boxHeight) = ImageTransforms.SampleResizedCropBox(src.Width, src.Height, ref replay);
            Assert.InRange(left, 0, src.Width - boxWidth);
            Assert.InRange(top, 0, src.Height - boxHeight);
            var expected = new ImageU8(width, height, 3);
            expected.Span.Fill(255);
            ImageTransforms.ResizedCrop(src, left, top, boxWidth, boxHeight, expected);
            Assert.Equal(expected.Span.ToArray(), dst.Span.ToArray());
        }
    }

    [Fact]
    public void NormalizeIsPerChannel()
    {
        var x = new float[] { 0, 1, 0.5f, 0.5f };
        ImageTransforms.Normalize(x, 2, [0.5f, 0.25f], [0.5f, 0.25f]);
        Assert.Equal(new[] { -1f, 1f, 1f, 1f }, x);
        Assert.Throws<ArgumentException>(() => ImageTransforms.Normalize(x, 2, [0.5f], [0.5f]));
    }
}
