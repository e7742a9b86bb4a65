using PixMix.Imaging;
using PixMix.Imaging.Mixing;

namespace PixMix.Imaging.Tests.Mixing;

public class MixingOpsTests
{
    [Fact]
    public void AddMatchesTheFormulaOnEveryLaneAndTheTail()
    {
        // 19 values: two 8-wide vectors and a 3-value scalar tail.
        var x1 = Enumerable.Range(0, 19).Select(i => i / 18f).ToArray();
        var x2 = Enumerable.Range(0, 19).Select(i => 1 - i / 18f).ToArray();
        var d = new float[19];
        MixingOps.Add(x1, x2, d, 0.5f, 0.3f);
        for (int i = 0; i < 19; i++)
        {
            float expected = (0.5f * (2 * x1[i] - 1) + 0.3f * (2 * x2[i] - 1) + 1) / 2;
            Assert.Equal(Math.Clamp(expected, 0, 1), d[i], 5);
        }
        // Hand-computed: x1=0.2, x2=0.6, a=0.5, b=0.3 -> (0.5*(-0.6) + 0.3*0.2 + 1)/2 = 0.38
        var one = new float[1];
        MixingOps.Add([0.2f], [0.6f], one, 0.5f, 0.3f);
        Assert.Equal(0.38f, one[0], 5);
    }

    [Fact]
    public void MultiplyMatchesTheFormulaAndHandlesZeros()
    {
        // Hand-computed: (0.4)^0.5 * (1.2)^0.3 / 2 = 0.6324555 * 1.0562199 / 2 = 0.3340063
        var d = new float[17];
        var x1 = Enumerable.Repeat(0.2f, 17).ToArray();
        var x2 = Enumerable.Repeat(0.6f, 17).ToArray();
        MixingOps.Multiply(x1, x2, d, 0.5f, 0.3f);
        Assert.All(d, v => Assert.Equal(0.3340063f, v, 4));

        // x1 = 0 gives 0; x2 = 0 with b < 0 uses max(2x2, 1e-37) and stays finite, clipped to 1.
        var z = new float[9];
        MixingOps.Multiply(new float[9], Enumerable.Repeat(0.5f, 9).ToArray(), z, 0.7f, 0.2f);
        Assert.All(z, v => Assert.Equal(0f, v));
        MixingOps.Multiply(Enumerable.Repeat(0.5f, 9).ToArray(), new float[9], z, 1.2f, -0.3f);
        Assert.All(z, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void ResultsAreClippedToTheUnitInterval()
    {
        var x1 = Enumerable.Range(0, 32).Select(i => i / 31f).ToArray();
        var x2 = x1.Reverse().ToArray();
        var d = new float[32];
        MixingOps.Add(x1, x2, d, 1.9f, -0.9f);
        Assert.All(d, v => Assert.InRange(v, 0f, 1f));
        Assert.Contains(d, v => v == 0f);
        Assert.Contains(d, v => v == 1f);
    }

    [Fact]
    public void WeightsFollowTheTwoBetaBranches()
    {
        var rng = new PixMixRandom(7);
        int n = 40_000, first = 0;
        double sumA1 = 0, sumB1 = 0, sumA2 = 0, sumB2 = 0;
        for (int i = 0; i < n; i++)
        {
            var (a, b) = MixingOps.SampleWeights(3, ref rng);
            if (b >= 0) { first++; sumA1 += a; sumB1 += b; Assert.InRange(a, 0f, 1f); }
            else { sumA2 += a; sumB2 += b; Assert.InRange(a, 1f, 2f); Assert.InRange(b, -1f, 0f); }
        }
        int second = n - first;
        Assert.InRange(first / (double)n, 0.49, 0.51);
        // Beta(3,1) has mean 3/4, Beta(1,3) mean 1/4.
        Assert.InRange(sumA1 / first, 0.74, 0.76);
        Assert.InRange(sumB1 / first, 0.24, 0.26);
        Assert.InRange(sumA2 / second, 1.24, 1.26);
        Assert.InRange(sumB2 / second, -0.26, -0.24);
    }

    [Fact]
    public void LengthMismatchIsAnError()
    {
        var ex = Assert.Throws<ArgumentException>(() => MixingOps.Add(new float[3], new float[4], new float[3], 1, 0));
        Assert.Contains("x2", ex.Message);
    }
}

public class MixingOpsBytesTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EightBitOtherImageIsTheSameAsItsUnitFloats(bool add)
    {
        // 35 values: four 8-wide vectors and a 3-value tail; x1 spans [0, 1] including exact 0.
        var bytes = Enumerable.Range(0, 35).Select(i => (byte)(i * 37 % 256)).ToArray();
        var x1 = Enumerable.Range(0, 35).Select(i => i / 34f).ToArray();
        var asFloats = bytes.Select(v => v / 255f).ToArray();
        foreach (var (a, b) in new[] { (0.7f, 0.2f), (1.4f, -0.3f) })
        {
            var fromBytes = new float[35]; var fromFloats = new float[35];
            if (add)
            {
                // The same arithmetic on the same values: the same bits.
                MixingOps.Add(x1, bytes, fromBytes, a, b); MixingOps.Add(x1, asFloats, fromFloats, a, b);
                Assert.Equal(fromFloats, fromBytes);
            }
            else
            {
                // The 8-bit path takes the logarithm of the integer and folds log2(2/255) into the exponent.
                MixingOps.Multiply(x1, bytes, fromBytes, a, b); MixingOps.Multiply(x1, asFloats, fromFloats, a, b);
                for (int i = 0; i < 35; i++) Assert.True(Math.Abs(fromFloats[i] - fromBytes[i]) <= 2e-6f * Math.Max(fromFloats[i], 1e-3f), $"{i}: {fromBytes[i]} vs {fromFloats[i]}");
                Assert.Contains(fromBytes, v => v > 0.05f && v < 0.95f);
            }
        }
    }

    [Fact]
    public void MultiplyStaysWithinAMillionthOfTheExactFormula()
    {
        var rng = new PixMixRandom(5);
        var x1 = new float[4099]; var x2 = new byte[4099]; var d = new float[4099];
        for (int i = 0; i < x1.Length; i++) { x1[i] = rng.NextSingle(); x2[i] = (byte)rng.NextInt(256); }
        foreach (var (a, b) in new[] { (0.9f, 0.1f), (1.8f, -0.7f), (0.05f, 0.95f) })
        {
            MixingOps.Multiply(x1, x2, d, a, b);
            for (int i = 0; i < d.Length; i++)
            {
                double exact = Math.Clamp(Math.Pow(2.0 * x1[i], a) * Math.Pow(Math.Max(2.0 * x2[i] / 255, 1e-37), b) / 2, 0, 1);
                Assert.True(Math.Abs(exact - d[i]) <= 1e-6 * exact + 1e-9, $"a={a} b={b} x1={x1[i]} x2={x2[i]}: {d[i]} vs {exact}");
            }
        }
    }

    [Fact]
    public void EightBitOverloadsCheckLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => MixingOps.Add(new float[8], new byte[7], new float[8], 0.5f, 0.5f));
        Assert.Equal("x2", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => MixingOps.Multiply(new float[8], new byte[8], new float[9], 0.5f, 0.5f));
        Assert.Equal("destination", e.ParamName);
    }
}

public class MixingOpsRangeTests
{
    [Fact]
    public void MultiplyNeverProducesSubnormals()
    {
        // (2 * 1e-20)^2 * (2 * 1/255)^1 / 2 is about 3e-42 exactly: a subnormal, which the kernel raises to 2^-125.5.
        var x1 = Enumerable.Repeat(1e-20f, 16).ToArray();
        var x2 = Enumerable.Repeat((byte)1, 16).ToArray();
        var d = new float[16];
        MixingOps.Multiply(x1, x2, d, 2f, 1f);
        Assert.All(d, v => Assert.True(float.IsNormal(v) && v < 2e-38f, $"{v:R}"));
        // Zero stays exactly zero.
        MixingOps.Multiply(new float[16], x2, d, 0.5f, 0.5f);
        Assert.All(d, v => Assert.Equal(0f, v));
    }
}
