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
/// flip rate (mFR) the mean over perturbation types.
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
}
