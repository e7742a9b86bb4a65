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

    // Ten classes; frame A ranks class 0 first, 1 second, ...; B swaps classes 0 and 1; C moves class 9 to the top.
    private static float[] Frame(params int[] classesByRank)
    {
        var scores = new float[classesByRank.Length];
        for (int r = 0; r < classesByRank.Length; r++) scores[classesByRank[r]] = 1f - r * 0.05f;
        return scores;
    }

    private static readonly float[] A = Frame(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    private static readonly float[] B = Frame(1, 0, 2, 3, 4, 5, 6, 7, 8, 9);
    private static readonly float[] C = Frame(9, 0, 1, 2, 3, 4, 5, 6, 7, 8);

    [Fact]
    public void RankDistancesOfOnePairAreTheBenchmarks()
    {
        // A -> B: ranks 1 and 2 trade places: top-5 |0 - 1| + |1 - 0| = 2; Zipf |1 - 1/2| 1 + |1/2 - 1| 1/2 = 0.75
        Assert.Equal(2, FlipRate.RankDistanceOfSequence([.. A, .. B], 10, isNoise: false, RankDistance.Top5), 12);
        Assert.Equal(0.75, FlipRate.RankDistanceOfSequence([.. A, .. B], 10, isNoise: false, RankDistance.Zipf), 12);
        // A -> C: each of A's top five drops one rank: top-5 1 + 1 + 1 + 1 + |4 - 5| = 5
        Assert.Equal(5, FlipRate.RankDistanceOfSequence([.. A, .. C], 10, isNoise: false, RankDistance.Top5), 12);
        // Zipf: sum over j < 9 of (1/(j+1) - 1/(j+2)) / (j+1), plus class 9 (rank 10 -> 1): |1/10 - 1| / 10
        double zipf = 0.9 / 10;
        for (int j = 0; j < 9; j++) zipf += (1.0 / (j + 1) - 1.0 / (j + 2)) / (j + 1);
        Assert.Equal(zipf, FlipRate.RankDistanceOfSequence([.. A, .. C], 10, isNoise: false, RankDistance.Zipf), 12);
        Assert.Equal(0, FlipRate.RankDistanceOfSequence([.. A, .. A], 10, isNoise: true, RankDistance.Zipf), 12);
    }

    [Fact]
    public void RankDistancesCompareWithThePreviousFrameOrTheFirst()
    {
        // A, B, A: previous-frame pairs (A,B) and (B,A) are 2 each; as noise (A,B) = 2 and (A,A) = 0
        Assert.Equal(2, FlipRate.RankDistanceOfSequence([.. A, .. B, .. A], 10, isNoise: false, RankDistance.Top5), 12);
        Assert.Equal(1, FlipRate.RankDistanceOfSequence([.. A, .. B, .. A], 10, isNoise: true, RankDistance.Top5), 12);
        // the flip probability of the same sequences: top-1 classes 0, 1, 0
        Assert.Equal(1.0, FlipRate.OfSequence([0, 1, 0], isNoise: false), 12);
        Assert.Equal(0.5, FlipRate.OfSequence([0, 1, 0], isNoise: true), 12);
    }

    [Fact]
    public void RanksBreakTiesInClassOrderAndTopFiveNeedsSixClasses()
    {
        var ranks = new int[4];
        FlipRate.Ranks([0.5f, 0.9f, 0.5f, 0.1f], ranks, Span<int>.Empty);
        Assert.Equal([2, 1, 3, 4], ranks);
        Assert.False(FlipRate.IsDefined(RankDistance.Top5, 5));
        Assert.True(FlipRate.IsDefined(RankDistance.Top5, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlipRate.RankDistanceOfSequence(new float[10], 5, false, RankDistance.Top5));
    }
}
