using PixMix.Imaging.Ops;
using PixMix.Imaging.Mixing;

namespace PixMix.Imaging.Tests.Mixing;

/// <summary>
/// The augmenter against a plain transcription of the paper's method: the same random draws in the same order, the
/// images as CHW tensors in double precision, the mixing formulas written out. Catches any slip of layout, channel
/// order, draw order or mixing arithmetic in the fast path.
/// </summary>
public class PixMixAugmenterReplayTests
{
    [Theory]
    [InlineData(3, 32, 32)]
    [InlineData(1, 28, 28)]
    [InlineData(3, 13, 9)]
    public void AugmentIsThePapersMethodDrawForDraw(int channels, int width, int height)
    {
        var parameters = new PixMixParameters { K = 4, Beta = 3, Severity = 3, AllOps = true };
        var augmenter = new PixMixAugmenter(parameters);
        var x = Ops.TestImages.Noise(width, height, channels, seed: 10 + channels);
        var m = Ops.TestImages.Noise(width, height, channels, seed: 20 + channels);
        var workspace = new PixMixWorkspace();
        var output = new ImageF32(width, height, channels);
        float[] mean = Enumerable.Repeat(0.5f, channels).ToArray(), std = Enumerable.Repeat(0.25f, channels).ToArray();
        var normalized = new float[output.Length];
        int multiplies = 0;
        for (int seed = 0; seed < 60; seed++)
        {
            var rng = PixMixRandom.For(5, 0, seed);
            augmenter.Augment(x, m, output, ref rng, workspace);
            var again = PixMixRandom.For(5, 0, seed);
            augmenter.Augment(x, m, normalized, mean, std, ref again, workspace);

            var replay = PixMixRandom.For(5, 0, seed);
            var expected = Reference(x, m, parameters, ref replay, ref multiplies);
            for (int i = 0; i < expected.Length; i++)
            {
                // Single precision, and a relative error below 1e-6 per multiply that later rounds can amplify (by up to
                // a, b < 2 each): 1e-4 is a fortieth of an 8-bit level, while any slip of layout or order is far larger.
                Assert.True(Math.Abs(expected[i] - output.Span[i]) <= 1e-4, $"seed {seed}, value {i}: {output.Span[i]} vs {expected[i]}");
                Assert.Equal((output.Span[i] - 0.5f) * (1f / 0.25f), normalized[i]);
            }
            // Both streams consumed exactly the same draws.
            Assert.Equal(replay.NextDouble(), rng.NextDouble());
        }
        Assert.True(multiplies > 10, $"only {multiplies} multiplies were exercised");
    }

    /// <summary>The method as the paper's reference writes it, with tensors as CHW doubles.</summary>
    private static double[] Reference(ImageU8 x, ImageU8 m, PixMixParameters p, ref PixMixRandom rng, ref int multiplies)
    {
        var ops = p.AllOps ? PixMixOpLists.All : PixMixOpLists.Base;
        var scratch = new ImageU8(x.Width, x.Height, x.Channels);
        double[] Augmented(ref PixMixRandom r)
        {
            var op = ops[r.NextInt(ops.Count)];
            AugmentOps.Apply(op, x, scratch, p.Severity, ref r);
            return Tensor(scratch);
        }

        var mixed = rng.NextDouble() < 0.5 ? Augmented(ref rng) : Tensor(x);
        int rounds = rng.NextIntInclusive(0, p.K);
        for (int round = 0; round < rounds; round++)
        {
            var other = rng.NextDouble() < 0.5 ? Augmented(ref rng) : Tensor(m);
            bool add = rng.NextDouble() < 0.5;
            var (a, b) = MixingOps.SampleWeights(p.Beta, ref rng);
            if (!add) multiplies++;
            for (int i = 0; i < mixed.Length; i++)
            {
                double v = add
                    ? (a * (2 * mixed[i] - 1) + b * (2 * other[i] - 1) + 1) / 2
                    : Math.Pow(2 * mixed[i], a) * Math.Pow(Math.Max(2 * other[i], 1e-37), b) / 2;
                mixed[i] = Math.Clamp(v, 0, 1);
            }
        }
        return mixed;
    }

    private static double[] Tensor(ImageU8 image)
    {
        int pixels = image.Width * image.Height, c = image.Channels;
        var t = new double[pixels * c];
        for (int p = 0; p < pixels; p++)
            for (int ch = 0; ch < c; ch++)
                t[ch * pixels + p] = image.Span[p * c + ch] / 255.0;
        return t;
    }
}
