using PixMix.Imaging.Corruptions;
using PixMix.Imaging.Perturbations;

namespace PixMix.Imaging.Tests.Perturbations;

public class PerturberTests
{
    private static byte[] Frames(PerturbationSpec spec, ImageU8 image, long index = 0, long seed = 1)
    {
        var frames = new byte[spec.FrameCount * image.Length];
        PerturbationSets.Generate(spec, image, index, seed, frames);
        return frames;
    }

    private static ReadOnlySpan<byte> Frame(byte[] frames, int i, ImageU8 image) => frames.AsSpan(i * image.Length, image.Length);

    private static ImageU8 Constant(int w, int h, int c, byte value)
    {
        var image = new ImageU8(w, h, c);
        image.Span.Fill(value);
        return image;
    }

    [Fact]
    public void FrameCountsAreTheBenchmarks()
    {
        Assert.Equal(21, PerturbationNames.FrameCount(PerturbationKind.MotionBlur));
        Assert.Equal(16, PerturbationNames.FrameCount(PerturbationKind.Translate));
        foreach (var kind in PerturbationNames.All.Except([PerturbationKind.MotionBlur, PerturbationKind.Translate]))
            Assert.Equal(31, PerturbationNames.FrameCount(kind));
        Assert.Equal(["gaussian_noise", "shot_noise", "motion_blur", "zoom_blur", "spatter", "brightness", "translate", "rotate", "tilt", "scale"],
            PerturbationNames.Benchmark.Select(PerturbationNames.ToName));
        Assert.Equal(["speckle_noise", "gaussian_blur", "snow", "shear"], PerturbationNames.Extra.Select(PerturbationNames.ToName));
    }

    [Fact]
    public void TranslateFrameIShiftsRightByIMinus7Pixels()
    {
        var image = TestImages.Gradient(32, 32);
        var frames = Frames(new(PerturbationKind.Translate), image);
        for (int i = 0; i < 16; i++)
        {
            int shift = i - 7;
            var f = Frame(frames, i, image);
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++)
                    for (int c = 0; c < 3; c++)
                    {
                        int sx = x - shift;
                        byte expected = sx is >= 0 and < 32 ? image[sx, y, c] : (byte)0;
                        Assert.Equal(expected, f[(y * 32 + x) * 3 + c]);
                    }
        }
    }

    [Fact]
    public void TranslateShiftScalesWithTheSideAbove32Pixels()
    {
        var image = TestImages.Gradient(64, 64);
        var frames = Frames(new(PerturbationKind.Translate), image);
        var first = Frame(frames, 0, image);
        // frame 0 shifts by 2 x (-7) = -14: column 0 shows source column 14, the last 14 columns are empty
        Assert.Equal(image[14, 5, 1], first[(5 * 64 + 0) * 3 + 1]);
        Assert.Equal(0, first[(5 * 64 + 50) * 3 + 1]);
        Assert.Equal(image[49, 5, 1], first[(5 * 64 + 35) * 3 + 1]);
    }

    [Theory]
    [InlineData(PerturbationKind.GaussianNoise, 1)]
    [InlineData(PerturbationKind.GaussianNoise, 3)]
    [InlineData(PerturbationKind.ShotNoise, 2)]
    [InlineData(PerturbationKind.SpeckleNoise, 1)]
    [InlineData(PerturbationKind.ZoomBlur, 1)]
    public void FrameZeroIsTheCleanImage(PerturbationKind kind, int level)
    {
        var image = TestImages.Gradient(32, 32);
        var frames = Frames(new(kind, level), image);
        Assert.True(Frame(frames, 0, image).SequenceEqual(image.Span));
        Assert.False(Frame(frames, 1, image).SequenceEqual(image.Span));
    }

    [Fact]
    public void NoiseFramesAreIndependentDrawsWhoseSpreadGrowsWithTheLevel()
    {
        var image = Constant(32, 32, 3, 128);
        double Spread(PerturbationKind kind, int level, int frame)
        {
            var f = Frame(Frames(new(kind, level), image), frame, image);
            double sum = 0;
            foreach (byte v in f) sum += (v - 128.0) * (v - 128.0);
            return Math.Sqrt(sum / f.Length) / 255;
        }
        // N(0, sigma) noise on 128/255, truncated: the spread is about sigma
        Assert.InRange(Spread(PerturbationKind.GaussianNoise, 1, 5), 0.015, 0.025);
        Assert.InRange(Spread(PerturbationKind.GaussianNoise, 2, 5), 0.035, 0.045);
        Assert.InRange(Spread(PerturbationKind.GaussianNoise, 3, 5), 0.055, 0.065);
        // Poisson(c x) / c has the standard deviation sqrt(x / c)
        Assert.InRange(Spread(PerturbationKind.ShotNoise, 1, 5), 0.8 * Math.Sqrt(0.5 / 700), 1.2 * Math.Sqrt(0.5 / 700));
        Assert.InRange(Spread(PerturbationKind.ShotNoise, 3, 5), 0.8 * Math.Sqrt(0.5 / 200), 1.2 * Math.Sqrt(0.5 / 200));
        // x N(0, sigma): sigma x
        Assert.InRange(Spread(PerturbationKind.SpeckleNoise, 3, 5), 0.8 * 0.1 * 0.5, 1.2 * 0.1 * 0.5);
        var frames = Frames(new(PerturbationKind.GaussianNoise), image);
        Assert.False(Frame(frames, 1, image).SequenceEqual(Frame(frames, 2, image)));
    }

    [Fact]
    public void NoiseValuesFollowTheClippedTruncatedLaw()
    {
        // black + N(0, 0.02): the byte stays 0 when the value is below 1/255, probability Phi((1/255) / 0.02) = 0.5777
        var black = Constant(32, 32, 3, 0);
        var frames = Frames(new(PerturbationKind.GaussianNoise), black);
        double zeros = frames.AsSpan(black.Length).ToArray().Count(v => v == 0) / (double)(30 * black.Length);
        Assert.InRange(zeros, 0.5777 - 0.01, 0.5777 + 0.01);
        // Poisson(0) is 0: shot noise keeps black black; white stays 255 when Poisson(700) >= 700 (probability 0.5050)
        Assert.All(Frames(new(PerturbationKind.ShotNoise), black), v => Assert.Equal(0, v));
        var white = Constant(32, 32, 3, 255);
        var shot = Frames(new(PerturbationKind.ShotNoise), white);
        double kept = shot.AsSpan(white.Length).ToArray().Count(v => v == 255) / (double)(30 * white.Length);
        Assert.InRange(kept, 0.505 - 0.01, 0.505 + 0.01);
    }

    [Fact]
    public void BrightnessFrameMatchesTheCorruptionAtTheSameShift()
    {
        var image = TestImages.Gradient(32, 32);
        var frames = Frames(new(PerturbationKind.Brightness), image);
        // frame 25 shifts by (25 - 15) 1.5 / 100 = 0.15, CIFAR-10-C brightness severity 3
        var corrupted = new ImageU8(32, 32, 3);
        Corruptor.Brightness(image, corrupted, 3, CorruptionParameterSet.Cifar);
        Assert.True(Frame(frames, 25, image).SequenceEqual(corrupted.Span));
        // darker before frame 15, brighter after
        Assert.True(Sum(Frame(frames, 0, image)) < Sum(image.Span) && Sum(image.Span) < Sum(Frame(frames, 30, image)));
    }

    private static long Sum(ReadOnlySpan<byte> values)
    {
        long s = 0;
        foreach (byte v in values) s += v;
        return s;
    }

    [Theory]
    [InlineData(PerturbationKind.Rotate)]
    [InlineData(PerturbationKind.Shear)]
    [InlineData(PerturbationKind.Scale)]
    public void TheMiddleFrameOfAnAffineSequenceIsTheImage(PerturbationKind kind)
    {
        var image = TestImages.Gradient(32, 32);
        var frames = Frames(new(kind), image);
        Assert.True(Frame(frames, 15, image).SequenceEqual(image.Span));
        Assert.False(Frame(frames, 14, image).SequenceEqual(image.Span));
        Assert.False(Frame(frames, 16, image).SequenceEqual(image.Span));
    }

    [Fact]
    public void RotationTurnsClockwiseByOneDegreePerFrame()
    {
        // a bright dot right of the centre pivot (16.5, 16.5 in pixel-centre coordinates): after +15 degrees clockwise
        // (frame 30) it sits below its row, after -15 degrees (frame 0) above it
        var image = new ImageU8(32, 32, 1);
        for (int y = 15; y <= 17; y++) for (int x = 27; x <= 29; x++) image[x, y, 0] = 255;
        var frames = Frames(new(PerturbationKind.Rotate), image);
        static double Row(ReadOnlySpan<byte> f)
        {
            double sum = 0, weight = 0;
            for (int i = 0; i < f.Length; i++) { sum += f[i] * (i / 32); weight += f[i]; }
            return sum / weight;
        }
        double row0 = Row(Frame(frames, 0, image)), row30 = Row(Frame(frames, 30, image));
        // 12 px from the pivot, 15 degrees: about 12 sin(15 deg) = 3.1 rows
        Assert.InRange(row30 - 16, 2.5, 3.7);
        Assert.InRange(16 - row0, 2.5, 3.7);
    }

    [Fact]
    public void ScaleShrinksThenEnlarges()
    {
        var image = Constant(32, 32, 3, 200);
        var frames = Frames(new(PerturbationKind.Scale), image);
        // frame 0 is a 0.7 zoom: the content covers about 22 of 32 px, the border is 0
        var f0 = Frame(frames, 0, image);
        Assert.Equal(0, f0[0]);
        Assert.Equal(200, f0[(16 * 32 + 16) * 3]);
        int covered = 0;
        for (int x = 0; x < 32; x++) if (f0[(16 * 32 + x) * 3] > 100) covered++;
        Assert.InRange(covered, 21, 24);
        // frame 30 (1.3) covers everything
        Assert.All(Frame(frames, 30, image).ToArray(), v => Assert.Equal(200, v));
    }

    [Fact]
    public void TiltLeavesTheCentreAndTurnsTheCornersOut()
    {
        var image = Constant(32, 32, 3, 200);
        var frames = Frames(new(PerturbationKind.Tilt), image);
        for (int i = 0; i < 31; i++)
            Assert.Equal(200, Frame(frames, i, image)[(16 * 32 + 16) * 3 + 1]);
        // at +-11.25 degrees about both axes one corner leaves the frame
        var first = Frame(frames, 0, image); var last = Frame(frames, 30, image);
        Assert.True(first[0] < 200 || first[^1] < 200 || first[(31 * 32) * 3] < 200 || first[31 * 3] < 200);
        Assert.True(last[0] < 200 || last[^1] < 200 || last[(31 * 32) * 3] < 200 || last[31 * 3] < 200);
        Assert.False(first.SequenceEqual(last));
    }

    [Theory]
    [InlineData(PerturbationKind.MotionBlur)]
    [InlineData(PerturbationKind.ZoomBlur)]
    [InlineData(PerturbationKind.GaussianBlur)]
    public void BlursKeepAConstantImage(PerturbationKind kind)
    {
        var image = Constant(32, 32, 3, 90);
        var frames = Frames(new(kind), image);
        Assert.Equal(PerturbationNames.FrameCount(kind) * image.Length, frames.Length);
        Assert.All(frames, v => Assert.InRange(v, 89, 90));
    }

    [Fact]
    public void MotionBlurFramesTurnTheBlurDirection()
    {
        var image = TestImages.Gradient(32, 32);
        var frames = Frames(new(PerturbationKind.MotionBlur), image);
        var expected = new ImageU8(32, 32, 3);
        Corruptor.MotionBlur(image, expected, 6, 1.8, (3 - 20) * 9.0);
        Assert.True(Frame(frames, 3, image).SequenceEqual(expected.Span));
        Assert.False(Frame(frames, 3, image).SequenceEqual(Frame(frames, 4, image)));
    }

    [Fact]
    public void SnowOnlyLightens()
    {
        var image = TestImages.Gradient(32, 32);
        var frames = Frames(new(PerturbationKind.Snow), image);
        for (int i = 0; i < 31; i++)
        {
            var f = Frame(frames, i, image);
            for (int k = 0; k < f.Length; k++) Assert.True(f[k] + 1 >= image.Span[k]);
        }
        Assert.False(Frame(frames, 0, image).SequenceEqual(Frame(frames, 30, image)));
    }

    [Fact]
    public void SpatterOnlyAddsWaterAndItRunsDown()
    {
        var image = Constant(32, 32, 3, 60);
        double? previous = null;
        int lower = 0;
        for (long index = 0; index < 6; index++)
        {
            var frames = Frames(new(PerturbationKind.Spatter), image, index);
            for (int i = 0; i < 31; i++)
                foreach (byte v in Frame(frames, i, image)) Assert.True(v >= 60);
            double Centre(ReadOnlySpan<byte> f)
            {
                double sum = 0, weight = 0;
                for (int p = 0; p < 32 * 32; p++) { double added = f[3 * p + 1] - 60; sum += added * (p / 32); weight += added; }
                return weight > 0 ? sum / weight : double.NaN;
            }
            double start = Centre(Frame(frames, 0, image)), end = Centre(Frame(frames, 10, image));
            if (!double.IsNaN(start) && !double.IsNaN(end) && end > start) lower++;
            previous = start;
        }
        Assert.NotNull(previous);
        Assert.True(lower >= 4, $"the water ran down in {lower} of 6 sequences");
    }

    [Fact]
    public void GreyImagesGiveGreyFramesForEveryPerturbation()
    {
        var image = TestImages.Gradient(28, 28, 1);
        foreach (var kind in PerturbationNames.All)
        {
            var frames = Frames(new(kind), image);
            Assert.Equal(PerturbationNames.FrameCount(kind) * 28 * 28, frames.Length);
            Assert.Contains(frames, v => v != 0);
        }
    }

    [Fact]
    public void SameSeedSameSequenceOtherSeedOtherSequence()
    {
        var image = TestImages.Gradient(32, 32);
        foreach (var kind in new[] { PerturbationKind.GaussianNoise, PerturbationKind.Snow, PerturbationKind.Spatter, PerturbationKind.ShotNoise })
        {
            Assert.Equal(Frames(new(kind), image, 3, 7), Frames(new(kind), image, 3, 7));
            Assert.NotEqual(Frames(new(kind), image, 3, 7), Frames(new(kind), image, 3, 8));
            Assert.NotEqual(Frames(new(kind), image, 3, 7), Frames(new(kind), image, 4, 7));
        }
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        var small = new ImageU8(7, 32, 3);
        Assert.Contains("at least 8x8", Assert.Throws<ArgumentException>(() => Frames(new(PerturbationKind.Rotate), small)).Message);
        Assert.Contains("noises only", Assert.Throws<ArgumentOutOfRangeException>(() => PerturbationNames.FileName(PerturbationKind.Rotate, 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => PerturbationNames.FileName(PerturbationKind.GaussianNoise, 4));
        Assert.Contains("not a perturbation", Assert.Throws<ArgumentException>(() => PerturbationNames.Parse("fog")).Message);
        Assert.Contains("listed twice", Assert.Throws<ArgumentException>(() => PerturbationSets.ParseList("rotate,Rotate")).Message);
        Assert.Contains("1..3", Assert.Throws<ArgumentException>(() => PerturbationSets.ParseLevels("1-4")).Message);
        Assert.Contains("noises only", Assert.Throws<ArgumentException>(() => PerturbationSets.Specs([PerturbationKind.Rotate], [2, 3])).Message);
    }

    [Fact]
    public void NamesAndLevelsMakeTheFileNames()
    {
        var specs = PerturbationSets.Specs([PerturbationKind.Rotate, PerturbationKind.ShotNoise], [1, 2, 3]);
        Assert.Equal(["rotate", "shot_noise", "shot_noise_2", "shot_noise_3"], specs.Select(s => s.Name));
        Assert.True(PerturbationNames.TryParseFileName("gaussian_noise_3", out var kind, out int level));
        Assert.Equal((PerturbationKind.GaussianNoise, 3), (kind, level));
        Assert.False(PerturbationNames.TryParseFileName("rotate_2", out _, out _));
        Assert.False(PerturbationNames.TryParseFileName("labels", out _, out _));
        Assert.Equal(PerturbationNames.Benchmark, PerturbationSets.ParseList("benchmark"));
        Assert.Equal(14, PerturbationSets.ParseList("all").Count);
    }
}
