using PixMix.MLNet.Evaluation;

namespace PixMix.MLNet.Tests.Evaluation;

public class FlipRateTests
{
    [Fact]
    public void NonNoiseComparesConsecutiveFrames()
        // 1->2 flips, 2->2, 2->2, 2->2: 1 of 4.
        => Assert.Equal(0.25, FlipRate.OfSequence([1, 2, 2, 2, 2], isNoise: false), 12);

    [Fact]
    public void NoiseComparesWithTheFirstFrame()
        // 2, 2, 2, 2 all differ from the first frame 1: 4 of 4.
        => Assert.Equal(1.0, FlipRate.OfSequence([1, 2, 2, 2, 2], isNoise: true), 12);

    [Fact]
    public void DifficultyStepsThroughInterleavedSubsequences()
    {
        // Step 2: offset 0 -> 1, 1, 1 (pairs (1,1), (1,1)); offset 1 -> 2, 3 (pair (2,3) flips): 1 of 3.
        Assert.Equal(1.0 / 3.0, FlipRate.OfSequence([1, 2, 1, 3, 1], isNoise: false, difficulty: 2), 12);
        // Noise ignores the difficulty: vs first frame 1: 2, 1, 3, 1 -> 2 of 4.
        Assert.Equal(0.5, FlipRate.OfSequence([1, 2, 1, 3, 1], isNoise: true, difficulty: 2), 12);
    }

    [Fact]
    public void SetRateIsTheMeanOverSequences()
    {
        // Sequences [1,1,1] (0) and [1,2,1] (2 of 2): mean 0.5, stored flat with 3 frames per sequence.
        Assert.Equal(0.5, FlipRate.OfFlattened([1, 1, 1, 1, 2, 1], 3, isNoise: false), 12);
        Assert.Equal(0.5, FlipRate.OfSequences([[1, 1, 1], [1, 2, 1]], isNoise: false), 12);
        // As noise: [1,2,1] -> one of two differs from 1: mean (0 + 0.5) / 2.
        Assert.Equal(0.25, FlipRate.OfFlattened([1, 1, 1, 1, 2, 1], 3, isNoise: true), 12);
    }

    [Fact]
    public void RaggedFlatInputIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => FlipRate.OfFlattened([1, 2, 3, 4, 5], 2, isNoise: false));
        Assert.Contains("5 predictions", e.Message);
    }
}
