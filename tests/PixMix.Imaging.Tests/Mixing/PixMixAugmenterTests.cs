using PixMix.Imaging;
using PixMix.Imaging.Mixing;
using PixMix.Imaging.Ops;

namespace PixMix.Imaging.Tests.Mixing;

public class PixMixAugmenterTests
{
    private sealed class CountingTrace : PixMixTrace
    {
        public readonly int[] Ops = new int[13];
        public readonly int[] Rounds = new int[17];
        public int Mixes, WithAugmented, Adds;
        public override void OnOperation(PixMixOp op) => Ops[(int)op]++;
        public override void OnRounds(int rounds) => Rounds[rounds]++;
        public override void OnMix(bool augmentedOriginal, bool add, float a, float b)
        {
            Mixes++; if (augmentedOriginal) WithAugmented++; if (add) Adds++;
        }
    }

    private static CountingTrace Run(PixMixParameters p, int n)
    {
        var aug = new PixMixAugmenter(p);
        var x = TestImages.Gradient(8, 8);
        var m = TestImages.Gradient(8, 8, seed: 2);
        var output = new ImageF32(8, 8, 3);
        var ws = new PixMixWorkspace();
        var trace = new CountingTrace();
        for (int i = 0; i < n; i++)
        {
            var rng = PixMixRandom.For(1, 0, i);
            aug.Augment(x, m, output, ref rng, ws, trace);
        }
        return trace;
    }

    [Fact]
    public void RoundsAreUniformOnZeroToKInclusive()
    {
        const int n = 20_000;
        var t = Run(PixMixParameters.Cifar, n);
        for (int r = 0; r <= 4; r++) Assert.InRange(t.Rounds[r] / (double)n, 0.185, 0.215);
        Assert.Equal(0, t.Rounds[5]);
        // Mean rounds k/2 = 2.
        Assert.InRange(t.Mixes / (double)n, 1.95, 2.05);
    }

    [Fact]
    public void EachMixIsHalfAugmentedOriginalHalfMixingPictureAndHalfAddHalfMultiply()
    {
        var t = Run(PixMixParameters.Cifar, 20_000);
        Assert.InRange(t.WithAugmented / (double)t.Mixes, 0.49, 0.51);
        Assert.InRange(t.Adds / (double)t.Mixes, 0.49, 0.51);
    }

    [Fact]
    public void OperationsAreDrawnUniformlyFromTheConfiguredList()
    {
        const int n = 20_000;
        var all = Run(PixMixParameters.Cifar, n);
        int total = all.Ops.Sum();
        // Expected number of augment() calls: 0.5 (the first) + E[rounds] * 0.5 = 1.5 per image.
        Assert.InRange(total / (double)n, 1.45, 1.55);
        foreach (var c in all.Ops) Assert.InRange(c / (double)total, 1 / 13.0 - 0.008, 1 / 13.0 + 0.008);

        var base9 = Run(PixMixParameters.Cifar with { AllOps = false }, n);
        int total9 = base9.Ops.Sum();
        for (int i = 0; i < 13; i++)
        {
            if (i < 9) Assert.InRange(base9.Ops[i] / (double)total9, 1 / 9.0 - 0.01, 1 / 9.0 + 0.01);
            else Assert.Equal(0, base9.Ops[i]);
        }
    }

    [Fact]
    public void KZeroStillAugmentsHalfTheTimeAndNeverMixes()
    {
        var t = Run(PixMixParameters.Cifar with { K = 0 }, 4000);
        Assert.Equal(0, t.Mixes);
        Assert.InRange(t.Ops.Sum() / 4000.0, 0.46, 0.54);
    }

    [Fact]
    public void OutputStaysInTheUnitIntervalAndMixesInTheMixingPicture()
    {
        var aug = new PixMixAugmenter(PixMixParameters.Cifar with { K = 16 });
        var x = new ImageU8(8, 8, 3); // black
        var m = new ImageU8(8, 8, 3); m.Span.Fill(200);
        var output = new ImageF32(8, 8, 3);
        var ws = new PixMixWorkspace();
        int changed = 0;
        for (int i = 0; i < 200; i++)
        {
            var rng = PixMixRandom.For(3, 0, i);
            aug.Augment(x, m, output, ref rng, ws);
            Assert.All(output.Data, v => Assert.InRange(v, 0f, 1f));
            if (output.Data.Any(v => v > 0.01f)) changed++;
        }
        // A black image only brightens by mixing with the (bright) mixing picture through add.
        Assert.True(changed > 50, $"only {changed} of 200 outputs differ from black");
    }

    [Theory]
    [InlineData(-1, 3, 3, "K")]
    [InlineData(17, 3, 3, "K")]
    [InlineData(4, 0, 3, "Beta")]
    [InlineData(4, 3, 0.05, "Severity")]
    [InlineData(4, 3, 11, "Severity")]
    public void InvalidParametersNameTheOption(int k, double beta, double severity, string name)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PixMixAugmenter(new PixMixParameters { K = k, Beta = beta, Severity = severity }));
        Assert.Equal(name, ex.ParamName);
        Assert.Contains($"'{name}'", ex.Message);
    }
}
