namespace PixMix.MLNet.Training;

/// <summary>Deterministic permutations for the per-epoch shuffles, derived from (seed, epoch, window).</summary>
internal static class ShuffleOrder
{
    private const ulong ShuffleStream = 0x5348_5546_464C_4531; // "SHUFFLE1"

    /// <summary>Fills <paramref name="order"/> with a permutation of 0..order.Length-1 (Fisher-Yates).</summary>
    internal static void Permute(Span<int> order, int seed, int epoch, long window)
    {
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var random = PixMixRandom.For(seed, epoch, window, ShuffleStream);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    /// <summary>The seed of torch's generator (dropout) for an epoch.</summary>
    internal static long TorchSeed(int seed, int epoch)
    {
        var random = PixMixRandom.For(seed, epoch, 0, 0x544F_5243_4853_4544); // "TORCHSED"
        return (long)(random.NextUInt64() >> 1);
    }
}
