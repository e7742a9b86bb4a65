using PixMix.Imaging.Corruptions;

namespace PixMix.Imaging.Tests.Corruptions;

public class CorruptorTests
{
    public static IEnumerable<object[]> AllKinds() => Enum.GetValues<CorruptionKind>().Select(k => new object[] { k });

    public static IEnumerable<object[]> RandomKinds() => Enum.GetValues<CorruptionKind>().Where(Corruptor.IsRandom).Select(k => new object[] { k });

    private static ImageU8 Run(CorruptionKind kind, int severity, ImageU8 src, ulong seed, CorruptionParameterSet set = CorruptionParameterSet.Cifar)
    {
        var dst = new ImageU8(src.Width, src.Height, src.Channels);
        var rng = new PixMixRandom(seed);
        Corruptor.Apply(kind, severity, src, dst, ref rng, set);
        return dst;
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void WorksOnAnySizeAndSeverity(CorruptionKind kind)
    {
        foreach (var (w, h, c) in new[] { (28, 28, 1), (40, 24, 3), (32, 32, 3), (5, 7, 3) })
        {
            var src = CorruptionTestImages.Textured(w, h, c);
            var before = src.Clone();
            for (int s = 1; s <= 5; s++)
            {
                var dst = Run(kind, s, src, 5);
                Assert.Equal(before.Data, src.Data); // the source is left alone
                if (s == 5 && w >= 24)
                    Assert.True(CorruptionTestImages.MeanAbsDiff(src, dst) > 0.2, $"{kind} did not change a {w}x{h}x{c} picture");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void ImageNetParametersAt224(CorruptionKind kind)
    {
        var src = CorruptionTestImages.Textured(224, 224, 3);
        var dst = Run(kind, 3, src, 9, CorruptionParameterSet.ImageNet);
        Assert.True(CorruptionTestImages.MeanAbsDiff(src, dst) > 0.2, $"{kind} did not change the picture");
        // the automatic rule picks the ImageNet table at 224 px
        var auto = new ImageU8(224, 224, 3);
        var rng = new PixMixRandom(9);
        Corruptor.Apply(kind, 3, src, auto, ref rng);
        Assert.Equal(dst.Data, auto.Data);
    }

    [Theory]
    [MemberData(nameof(RandomKinds))]
    public void RandomKindsAreReproducibleBySeed(CorruptionKind kind)
    {
        var src = CorruptionTestImages.Textured(32, 32, 3);
        var a = Run(kind, 4, src, 42);
        var b = Run(kind, 4, src, 42);
        Assert.Equal(a.Data, b.Data);
        bool differs = Enumerable.Range(43, 4).Any(seed => !Run(kind, 4, src, (ulong)seed).Data.SequenceEqual(a.Data));
        Assert.True(differs, $"{kind} gives the same picture for different seeds");
    }

    [Fact]
    public void DeterministicKindsIgnoreTheSeed()
    {
        var src = CorruptionTestImages.Textured(32, 32, 3);
        foreach (var kind in Enum.GetValues<CorruptionKind>().Where(k => !Corruptor.IsRandom(k)))
            Assert.Equal(Run(kind, 3, src, 1).Data, Run(kind, 3, src, 2).Data);
        Assert.Equal(8, Enum.GetValues<CorruptionKind>().Count(k => !Corruptor.IsRandom(k)));
    }

    [Fact]
    public void ParallelUseGivesTheSequentialResults()
    {
        var src = CorruptionTestImages.Textured(32, 32, 3);
        var kinds = Enum.GetValues<CorruptionKind>();
        const int Count = 76;
        byte[] Make(int i)
        {
            var dst = new ImageU8(32, 32, 3);
            var rng = PixMixRandom.For(123, 0, i);
            Corruptor.Apply(kinds[i % kinds.Length], 1 + i % 5, src, dst, ref rng, CorruptionParameterSet.Cifar);
            return dst.Data;
        }
        var sequential = Enumerable.Range(0, Count).Select(Make).ToArray();
        var parallel = new byte[Count][];
        Parallel.For(0, Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = Make(i));
        for (int i = 0; i < Count; i++) Assert.Equal(sequential[i], parallel[i]);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void InPlaceEqualsOutOfPlace(CorruptionKind kind)
    {
        var src = CorruptionTestImages.Textured(30, 26, 3);
        var expected = Run(kind, 3, src, 77);
        var inPlace = src.Clone();
        var rng = new PixMixRandom(77);
        Corruptor.Apply(kind, 3, inPlace, inPlace, ref rng, CorruptionParameterSet.Cifar);
        Assert.Equal(expected.Data, inPlace.Data);
    }

    [Theory]
    [InlineData(CorruptionKind.Contrast)]
    [InlineData(CorruptionKind.GaussianBlur)]
    [InlineData(CorruptionKind.DefocusBlur)]
    [InlineData(CorruptionKind.ZoomBlur)]
    [InlineData(CorruptionKind.Pixelate)]
    [InlineData(CorruptionKind.Brightness)]
    [InlineData(CorruptionKind.Saturate)]
    public void GreyEqualsTheLumaOfTheRepeatedRgb(CorruptionKind kind)
    {
        // per-channel corruptions give R = G = B on a repeated grey picture, so the luma is that channel;
        // saturate with a shift (severities 4, 5) tints grey red and the luma is what a grey picture gets
        var grey = CorruptionTestImages.Textured(28, 28, 1);
        var rgb = CorruptionTestImages.GreyToRgb(grey);
        for (int s = 1; s <= 5; s++)
        {
            var g = Run(kind, s, grey, 1);
            var c = Run(kind, s, rgb, 1);
            for (int i = 0; i < g.Length; i++)
            {
                double luma = 0.299 * c.Data[3 * i] + 0.587 * c.Data[3 * i + 1] + 0.114 * c.Data[3 * i + 2];
                Assert.Equal((byte)Math.Round(luma, MidpointRounding.AwayFromZero), g.Data[i]);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public void SeverityOutsideOneToFiveIsRejected(int severity)
    {
        var src = CorruptionTestImages.Textured(8, 8, 3);
        var dst = new ImageU8(8, 8, 3);
        foreach (var kind in Enum.GetValues<CorruptionKind>())
        {
            var rng = new PixMixRandom(1);
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Corruptor.Apply(kind, severity, src, dst, ref rng, CorruptionParameterSet.Cifar));
            Assert.Equal("severity", ex.ParamName);
            Assert.Contains("1..5", ex.Message);
        }
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        var src = CorruptionTestImages.Textured(8, 8, 3);
        var rng = new PixMixRandom(1);
        var shape = Assert.Throws<ArgumentException>(() => Corruptor.Apply(CorruptionKind.Fog, 1, src, new ImageU8(8, 8, 1), ref rng, CorruptionParameterSet.Cifar));
        Assert.Equal("dst", shape.ParamName);
        Assert.Contains("8x8x3", shape.Message);
        var nul = Assert.Throws<ArgumentNullException>(() => Corruptor.Apply(CorruptionKind.Fog, 1, null!, src, ref rng, CorruptionParameterSet.Cifar));
        Assert.Equal("src", nul.ParamName);
        var kind = Assert.Throws<ArgumentOutOfRangeException>(() => Corruptor.Apply((CorruptionKind)99, 1, src, src, ref rng, CorruptionParameterSet.Cifar));
        Assert.Equal("kind", kind.ParamName);
        var set = Assert.Throws<ArgumentOutOfRangeException>(() => Corruptor.Apply(CorruptionKind.Contrast, 1, src, src, ref rng, (CorruptionParameterSet)5));
        Assert.Equal("set", set.ParamName);
    }

    [Fact]
    public void SteadyStateAllocatesNothing()
    {
        var kinds = Enum.GetValues<CorruptionKind>().Where(k => k != CorruptionKind.JpegCompression).ToArray();
        foreach (var (w, h, c) in new[] { (32, 32, 3), (28, 28, 1) })
        {
            var src = CorruptionTestImages.Textured(w, h, c);
            var dst = new ImageU8(w, h, c);
            var rng = new PixMixRandom(5);
            for (int round = 0; round < 3; round++)
                foreach (var kind in kinds)
                    for (int s = 1; s <= 5; s++) Corruptor.Apply(kind, s, src, dst, ref rng, CorruptionParameterSet.Cifar);
            foreach (var kind in kinds)
            {
                // a per-image allocation shows in every repetition; a one-off runtime event (tiered JIT) in one
                long allocated = long.MaxValue;
                for (int repetition = 0; repetition < 3; repetition++)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int s = 1; s <= 5; s++) Corruptor.Apply(kind, s, src, dst, ref rng, CorruptionParameterSet.Cifar);
                    allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
                }
                Assert.True(allocated == 0, $"{kind} on {w}x{h}x{c} allocated {allocated} bytes");
            }
        }
    }

    [Fact]
    public void MotionBlurFollowsImageMagicksOneSidedKernel()
    {
        var src = new ImageU8(20, 16, 1);
        src[10, 8, 0] = 255;
        // radius 2 -> 5 taps with weights exp(-i^2 / 2), normalized
        double[] k = Enumerable.Range(0, 5).Select(i => Math.Exp(-i * i / 2.0)).ToArray();
        double sum = k.Sum();
        foreach (var (angle, horizontal) in new[] { (0.0, true), (90.0, false) })
        {
            var dst = new ImageU8(20, 16, 1);
            Corruptor.MotionBlur(src, dst, 2, 1, angle);
            for (int y = 0; y < 16; y++)
                for (int x = 0; x < 20; x++)
                {
                    int i = horizontal ? (y == 8 ? 10 - x : -1) : (x == 10 ? 8 - y : -1);
                    int expected = i >= 0 && i < 5 ? (int)Math.Round(255 * k[i] / sum) : 0;
                    Assert.Equal(expected, dst[x, y, 0]);
                }
        }
    }

    [Fact]
    public void GlassBlurCopiesFromTheUpperLeftNeighbours()
    {
        // severity 1 (CIFAR): sigma 0.05 (a one-tap Gaussian), max_delta 1, one sweep: every pixel away from the
        // top/left edge takes the value of itself or of its upper, left or upper-left neighbour (offsets in [-1, 1)).
        var src = new ImageU8(12, 10, 1);
        for (int i = 0; i < src.Length; i++) src.Data[i] = (byte)(i * 2);
        var rng = new PixMixRandom(3);
        var dst = new ImageU8(12, 10, 1);
        Corruptor.GlassBlur(src, dst, 1, ref rng, CorruptionParameterSet.Cifar);
        int moved = 0;
        for (int y = 0; y < 10; y++)
            for (int x = 0; x < 12; x++)
            {
                if (y < 2 || x < 2) { Assert.Equal(src[x, y, 0], dst[x, y, 0]); continue; }
                byte v = dst[x, y, 0];
                Assert.Contains(v, new[] { src[x, y, 0], src[x - 1, y, 0], src[x, y - 1, 0], src[x - 1, y - 1, 0] });
                if (v != src[x, y, 0]) moved++;
            }
        Assert.InRange(moved, 40, 90); // 3 of 4 offsets move a pixel: about 60 of the 80 visited
    }

    [Fact]
    public void ElasticKeepsAConstantPictureConstant()
    {
        var src = CorruptionTestImages.Constant(32, 32, 3, 90);
        for (int s = 1; s <= 5; s++)
            Assert.All(Run(CorruptionKind.ElasticTransform, s, src, (ulong)s).Data, v => Assert.InRange(v, (byte)89, (byte)90));
    }

    [Fact]
    public void SnowOnlyBrightens()
    {
        var src = CorruptionTestImages.Textured(32, 32, 3);
        for (int s = 1; s <= 5; s++)
        {
            var dst = Run(CorruptionKind.Snow, s, src, (ulong)s);
            for (int i = 0; i < src.Length; i++) Assert.True(dst.Data[i] >= src.Data[i]);
            Assert.True(dst.Data.Average(v => (double)v) > src.Data.Average(v => (double)v) + 2);
        }
    }

    [Fact]
    public void FogSpansFromTheDimmedToTheOriginalValue()
    {
        // constant value v: out = (m + c p) m / (m + c), m = v / 255, p in [0, 1] over the whole 32x32 fractal
        var src = CorruptionTestImages.Constant(32, 32, 1, 200);
        double m = 200 / 255.0;
        double[] strength = [0.2, 0.5, 0.75, 1, 1.5];
        for (int s = 1; s <= 5; s++)
        {
            var dst = Run(CorruptionKind.Fog, s, src, (ulong)s);
            double c = strength[s - 1];
            Assert.InRange(dst.Data.Min(), (int)(255 * m * m / (m + c)) - 1, (int)(255 * m * m / (m + c)) + 1);
            Assert.InRange(dst.Data.Max(), 199, 200);
        }
    }

    [Fact]
    public void SpatterPaintsTurquoiseWaterAndBrownMud()
    {
        bool sawWater = false, sawMud = false;
        for (ulong seed = 1; seed <= 20 && !(sawWater && sawMud); seed++)
        {
            var black = CorruptionTestImages.Constant(64, 64, 3, 0);
            var water = Run(CorruptionKind.Spatter, 3, black, seed);
            for (int i = 0; i < 64 * 64; i++)
            {
                byte r = water.Data[3 * i], g = water.Data[3 * i + 1], b = water.Data[3 * i + 2];
                if (r == 0 && g == 0 && b == 0) continue;
                sawWater = true;
                Assert.InRange(g - b, -1, 1);
                Assert.True(g >= r, "water is turquoise (175, 238, 238)");
            }
            var white = CorruptionTestImages.Constant(64, 64, 3, 255);
            var mud = Run(CorruptionKind.Spatter, 5, white, seed);
            for (int i = 0; i < 64 * 64; i++)
            {
                byte r = mud.Data[3 * i], g = mud.Data[3 * i + 1], b = mud.Data[3 * i + 2];
                if (r == 255 && g == 255 && b == 255) continue;
                sawMud = true;
                Assert.True(r >= g && g >= b, "mud is brown (63, 42, 20)");
            }
        }
        Assert.True(sawWater, "no water drop in 20 seeds");
        Assert.True(sawMud, "no mud in 20 seeds");
    }
}
