namespace PixMix.MLNet.Evaluation;

/// <summary>
/// Calibration measures computed from per-example confidences (the maximum softmax probability) and correctness.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="RmsCalibrationError"/> follows the safety benchmarks of Hendrycks et al.: the examples are sorted by
/// confidence and cut into adaptive bins of <c>binSize</c> consecutive examples (100 by default), the last bin
/// taking the remainder (so it holds between <c>binSize</c> and <c>2*binSize - 1</c> examples). The error is
/// <c>sqrt(sum_b (|b| / N) (mean confidence_b - mean correct_b)^2)</c> with N the total number of examples.
/// </para>
/// <para>
/// The published numbers come from an implementation whose summation loop stops before the last bin (the most
/// confident examples) while still dividing by the total N. <see cref="CalibrationBinning.Reference"/> reproduces
/// that; <see cref="CalibrationBinning.AllBins"/> sums every bin. With fewer than <c>binSize</c> examples, a single
/// bin holding all of them is used and always counted.
/// </para>
/// <para>Ties in confidence are ordered stably (by original position).</para>
/// </remarks>
public static class CalibrationMetrics
{
    /// <summary>The default adaptive bin size of the benchmark.</summary>
    public const int DefaultBinSize = 100;

    /// <summary>The default number of equal-width bins of <see cref="ExpectedCalibrationError"/> and the reliability diagram.</summary>
    public const int DefaultEqualWidthBins = 15;

    /// <summary>Root-mean-square calibration error over adaptive bins (see the remarks of <see cref="CalibrationMetrics"/>).</summary>
    /// <param name="confidence">Per-example confidence in [0, 1].</param>
    /// <param name="correct">Per-example correctness (same length).</param>
    /// <param name="binSize">Examples per adaptive bin (at least 1).</param>
    /// <param name="binning">Whether the last bin is summed (see <see cref="CalibrationBinning"/>).</param>
    public static double RmsCalibrationError(ReadOnlySpan<float> confidence, ReadOnlySpan<bool> correct,
        int binSize = DefaultBinSize, CalibrationBinning binning = CalibrationBinning.Reference)
        => Math.Sqrt(AdaptiveBinError(confidence, correct, binSize, binning, squared: true));

    /// <summary>Mean-absolute-deviation calibration error over the same adaptive bins as <see cref="RmsCalibrationError"/>.</summary>
    public static double MadCalibrationError(ReadOnlySpan<float> confidence, ReadOnlySpan<bool> correct,
        int binSize = DefaultBinSize, CalibrationBinning binning = CalibrationBinning.Reference)
        => AdaptiveBinError(confidence, correct, binSize, binning, squared: false);

    private static double AdaptiveBinError(ReadOnlySpan<float> confidence, ReadOnlySpan<bool> correct, int binSize,
        CalibrationBinning binning, bool squared)
    {
        CheckInputs(confidence, correct);
        ArgumentOutOfRangeException.ThrowIfLessThan(binSize, 1, nameof(binSize));
        int n = confidence.Length;
        if (n == 0) return 0;

        int[] order = SortedOrder(confidence);
        int binCount = Math.Max(1, n / binSize);
        int summedBins = binning == CalibrationBinning.Reference && n >= binSize ? binCount - 1 : binCount;
        double total = 0;
        for (int b = 0; b < summedBins; b++)
        {
            int start = b * binSize;
            int end = b == binCount - 1 ? n : start + binSize;
            double confSum = 0, correctSum = 0;
            for (int i = start; i < end; i++)
            {
                int k = order[i];
                confSum += confidence[k];
                if (correct[k]) correctSum += 1;
            }
            int count = end - start;
            double diff = Math.Abs(confSum / count - correctSum / count);
            total += (double)count / n * (squared ? diff * diff : diff);
        }
        return total;
    }

    /// <summary>
    /// Expected calibration error over <paramref name="bins"/> equal-width confidence bins ((m-1)/M, m/M]
    /// (a confidence of exactly 0 falls in the first bin): <c>sum_m (|B_m| / N) |accuracy_m - confidence_m|</c>.
    /// </summary>
    public static double ExpectedCalibrationError(ReadOnlySpan<float> confidence, ReadOnlySpan<bool> correct, int bins = DefaultEqualWidthBins)
    {
        var diagram = ReliabilityDiagram(confidence, correct, bins);
        int n = confidence.Length;
        if (n == 0) return 0;
        double ece = 0;
        foreach (var bin in diagram)
            if (bin.Count > 0) ece += (double)bin.Count / n * Math.Abs(bin.Accuracy - bin.MeanConfidence);
        return ece;
    }

    /// <summary>
    /// The data of a reliability diagram: for each of <paramref name="bins"/> equal-width confidence bins, its bounds,
    /// number of examples, mean confidence and accuracy (both 0 for an empty bin).
    /// </summary>
    public static IReadOnlyList<ReliabilityBin> ReliabilityDiagram(ReadOnlySpan<float> confidence, ReadOnlySpan<bool> correct, int bins = DefaultEqualWidthBins)
    {
        CheckInputs(confidence, correct);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1, nameof(bins));
        var counts = new int[bins];
        var confSums = new double[bins];
        var correctSums = new double[bins];
        for (int i = 0; i < confidence.Length; i++)
        {
            int b = BinOf(confidence[i], bins);
            counts[b]++;
            confSums[b] += confidence[i];
            if (correct[i]) correctSums[b] += 1;
        }
        var result = new ReliabilityBin[bins];
        for (int b = 0; b < bins; b++)
        {
            int c = counts[b];
            result[b] = new ReliabilityBin
            {
                Lower = (double)b / bins,
                Upper = (double)(b + 1) / bins,
                Count = c,
                MeanConfidence = c == 0 ? 0 : confSums[b] / c,
                Accuracy = c == 0 ? 0 : correctSums[b] / c,
            };
        }
        return result;
    }

    private static int BinOf(float confidence, int bins)
    {
        // Bin m (0-based) holds (m/M, (m+1)/M]; 0 goes to the first bin.
        int b = (int)Math.Ceiling(confidence * (double)bins) - 1;
        return Math.Clamp(b, 0, bins - 1);
    }

    private static int[] SortedOrder(ReadOnlySpan<float> confidence)
    {
        var order = new int[confidence.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var keys = confidence.ToArray();
        // A stable order: sort by (confidence, index).
        Array.Sort(order, (a, b) =>
        {
            int c = keys[a].CompareTo(keys[b]);
            return c != 0 ? c : a.CompareTo(b);
        });
        return order;
    }

    private static void CheckInputs(ReadOnlySpan<float> confidence, ReadOnlySpan<bool> correct)
    {
        if (confidence.Length != correct.Length)
            throw new ArgumentException($"confidence has {confidence.Length} values but correct has {correct.Length}; they must have one value per example.", nameof(correct));
        for (int i = 0; i < confidence.Length; i++)
            if (!(confidence[i] >= 0 && confidence[i] <= 1))
                throw new ArgumentOutOfRangeException(nameof(confidence), confidence[i], $"confidence[{i}] must be a probability in [0, 1].");
    }
}
