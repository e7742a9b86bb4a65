namespace PixMix.MLNet.Evaluation;

/// <summary>
/// The flip probability of ImageNet-P / CIFAR-10-P: how often the top-1 prediction changes along perturbation
/// sequences (frames of the same image under a growing or changing perturbation).
/// </summary>
/// <remarks>
/// For a noise sequence every frame is compared with the first frame. For any other sequence, frames are compared
/// with the previous frame taken every <c>difficulty</c> frames: for each offset i in [0, difficulty), the
/// sub-sequence i, i+difficulty, i+2*difficulty, ... is compared consecutively. The flip probability of a sequence is
/// the fraction of compared pairs that differ; the flip rate of a set is the mean over its sequences, and the mean
/// flip rate (mFR) the mean over perturbation types. The rank distances (<see cref="RankDistance"/>) compare the
/// same pairs of frames by their whole class rankings (ranks by descending score, ties in class order), averaged the
/// same way. These are cifar-p-eval.py's <c>flip_prob</c> and <c>ranking_dist</c>.
/// </remarks>
public static class FlipRate
{
    /// <summary>The flip probability of one sequence of predicted classes.</summary>
    /// <param name="predictions">The predicted class of each frame, in order.</param>
    /// <param name="isNoise">True for noise perturbations (compare with the first frame).</param>
    /// <param name="difficulty">The frame step of non-noise sequences (1 in CIFAR-10-P; 1, 2 or 3 in ImageNet-P).</param>
    public static double OfSequence(ReadOnlySpan<int> predictions, bool isNoise, int difficulty = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(difficulty, 1, nameof(difficulty));
        int step = isNoise ? 1 : difficulty;
        int flips = 0, pairs = 0;
        for (int i = 0; i < step && i < predictions.Length; i++)
        {
            int previous = predictions[i];
            for (int j = i + step; j < predictions.Length; j += step)
            {
                if (predictions[j] != previous) flips++;
                pairs++;
                if (!isNoise) previous = predictions[j];
            }
        }
        if (pairs == 0)
            throw new ArgumentException($"A sequence of {predictions.Length} frames has no frame pair to compare at step {step}.", nameof(predictions));
        return (double)flips / pairs;
    }

    /// <summary>The flip rate of a perturbation set: the mean flip probability of its sequences.</summary>
    public static double OfSequences(IEnumerable<int[]> sequences, bool isNoise, int difficulty = 1)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        double sum = 0; int count = 0;
        foreach (var s in sequences) { sum += OfSequence(s, isNoise, difficulty); count++; }
        if (count == 0) throw new ArgumentException("No sequences.", nameof(sequences));
        return sum / count;
    }

    /// <summary>
    /// The flip rate of a set whose predictions are stored frame after frame, <paramref name="framesPerSequence"/>
    /// frames per sequence (the layout of the CIFAR-10-P arrays (sequences, frames, H, W, C)).
    /// </summary>
    public static double OfFlattened(ReadOnlySpan<int> predictions, int framesPerSequence, bool isNoise, int difficulty = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(framesPerSequence, 2, nameof(framesPerSequence));
        if (predictions.Length == 0 || predictions.Length % framesPerSequence != 0)
            throw new ArgumentException($"{predictions.Length} predictions are not a whole number of sequences of {framesPerSequence} frames.", nameof(predictions));
        int sequences = predictions.Length / framesPerSequence;
        double sum = 0;
        for (int s = 0; s < sequences; s++)
            sum += OfSequence(predictions.Slice(s * framesPerSequence, framesPerSequence), isNoise, difficulty);
        return sum / sequences;
    }

    /// <summary>Whether <paramref name="distance"/> is defined for <paramref name="classCount"/> classes (the top-5 distance needs more than five).</summary>
    public static bool IsDefined(RankDistance distance, int classCount) => distance == RankDistance.Top5 ? classCount > 5 : classCount > 1;

    /// <summary>
    /// The mean rank distance of one sequence: <paramref name="scores"/> holds each frame's class scores (frames x
    /// <paramref name="classCount"/>, in order); pairs of frames are chosen as for <see cref="OfSequence"/>.
    /// </summary>
    public static double RankDistanceOfSequence(ReadOnlySpan<float> scores, int classCount, bool isNoise, RankDistance distance, int difficulty = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(difficulty, 1, nameof(difficulty));
        if (!IsDefined(distance, classCount))
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"The {distance} distance needs more than {(distance == RankDistance.Top5 ? 5 : 1)} classes.");
        if (scores.Length == 0 || scores.Length % classCount != 0)
            throw new ArgumentException($"{scores.Length} scores are not a whole number of frames of {classCount} classes.", nameof(scores));
        int frames = scores.Length / classCount, step = isNoise ? 1 : difficulty;
        Span<int> first = classCount <= 256 ? stackalloc int[classCount] : new int[classCount];
        Span<int> second = classCount <= 256 ? stackalloc int[classCount] : new int[classCount];
        Span<int> order = classCount <= 256 ? stackalloc int[classCount] : new int[classCount];
        double sum = 0; int pairs = 0;
        for (int i = 0; i < step && i < frames; i++)
        {
            Ranks(scores.Slice(i * classCount, classCount), first, order);
            for (int j = i + step; j < frames; j += step)
            {
                Ranks(scores.Slice(j * classCount, classCount), second, Span<int>.Empty);
                sum += Distance(order, second, distance);
                pairs++;
                if (!isNoise) Ranks(scores.Slice(j * classCount, classCount), first, order);
            }
        }
        if (pairs == 0)
            throw new ArgumentException($"A sequence of {frames} frames has no frame pair to compare at step {step}.", nameof(scores));
        return sum / pairs;
    }

    /// <summary>
    /// The 1-based rank of each class by descending score, ties in class order (scipy's rankdata(-scores, 'ordinal'));
    /// <paramref name="order"/>, when not empty, receives the classes by rank (the inverse permutation).
    /// </summary>
    public static void Ranks(ReadOnlySpan<float> scores, Span<int> ranks, Span<int> order)
    {
        int k = scores.Length;
        // insertion sort of class indices by descending score, stable: small class counts, no allocation
        Span<int> sorted = order.IsEmpty ? (k <= 256 ? stackalloc int[k] : new int[k]) : order[..k];
        for (int c = 0; c < k; c++)
        {
            int p = c;
            while (p > 0 && scores[sorted[p - 1]] < scores[c]) { sorted[p] = sorted[p - 1]; p--; }
            sorted[p] = c;
        }
        for (int r = 0; r < k; r++) ranks[sorted[r]] = r + 1;
    }

    /// <summary>The distance between the first frame (classes by rank: <paramref name="firstOrder"/>) and the second (ranks per class).</summary>
    private static double Distance(ReadOnlySpan<int> firstOrder, ReadOnlySpan<int> secondRanks, RankDistance distance)
    {
        double d = 0;
        if (distance == RankDistance.Top5)
        {
            for (int j = 0; j < 5; j++) d += Math.Abs(j - Math.Min(secondRanks[firstOrder[j]] - 1, 5));
            return d;
        }
        for (int j = 0; j < firstOrder.Length; j++)
        {
            double own = 1.0 / (j + 1);
            d += Math.Abs(own - 1.0 / secondRanks[firstOrder[j]]) * own;
        }
        return d;
    }
}
