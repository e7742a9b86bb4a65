namespace PixMix.MLNet.Evaluation;

/// <summary>
/// Threshold-free anomaly (out-of-distribution) detection measures from two sets of scores: AUROC, AUPR (average
/// precision) and the false positive rate at a recall level (95% by default). (ML.NET's own
/// <c>Microsoft.ML.Data.AnomalyDetectionMetrics</c> is the result of its anomaly-detection evaluator; this class computes
/// the safety benchmarks' measures.)
/// </summary>
/// <remarks>
/// The convention of the safety benchmarks of Hendrycks et al.: the anomaly score is the negated maximum softmax
/// probability, the out-of-distribution examples are the positive class, and a higher score means "more anomalous".
/// <see cref="FromMaxSoftmax"/> applies it; the other methods take positive and negative scores directly.
/// AUROC is ML.NET's binary evaluator's (ties count one half). AUPR stays this library's: ML.NET's is sampled and is
/// not the benchmark's average precision. AUPR is the average precision over the distinct thresholds
/// (<c>sum_i (R_i - R_(i-1)) P_i</c>, thresholds in decreasing order). The FPR at recall r is the false positive
/// rate at the distinct threshold whose recall is closest to r (among equally close ones, the one with the higher
/// recall, that is the lower threshold), considering thresholds down to the first that reaches full recall.
/// </remarks>
public static class OutOfDistributionDetection
{
    /// <summary>The recall level of the benchmark's FPR measure.</summary>
    public const double DefaultRecallLevel = 0.95;

    /// <summary>
    /// The three measures from maximum softmax probabilities of in-distribution and out-of-distribution examples.
    /// </summary>
    /// <param name="inDistributionMsp">Maximum softmax probability of each in-distribution example.</param>
    /// <param name="outOfDistributionMsp">Maximum softmax probability of each out-of-distribution example.</param>
    /// <param name="positive">Which set is the positive class (out-of-distribution by default, as in the benchmark).</param>
    /// <param name="recallLevel">Recall level of the FPR measure.</param>
    public static AnomalyDetectionMeasures FromMaxSoftmax(ReadOnlySpan<float> inDistributionMsp, ReadOnlySpan<float> outOfDistributionMsp,
        AnomalyPositiveClass positive = AnomalyPositiveClass.OutOfDistribution, double recallLevel = DefaultRecallLevel)
    {
        var inScores = new double[inDistributionMsp.Length];
        var outScores = new double[outOfDistributionMsp.Length];
        if (positive == AnomalyPositiveClass.OutOfDistribution)
        {
            // Anomaly score = -MSP; the anomalies are the positives.
            for (int i = 0; i < inScores.Length; i++) inScores[i] = -(double)inDistributionMsp[i];
            for (int i = 0; i < outScores.Length; i++) outScores[i] = -(double)outOfDistributionMsp[i];
            return Compute(outScores, inScores, recallLevel);
        }
        for (int i = 0; i < inScores.Length; i++) inScores[i] = inDistributionMsp[i];
        for (int i = 0; i < outScores.Length; i++) outScores[i] = outOfDistributionMsp[i];
        return Compute(inScores, outScores, recallLevel);
    }

    /// <summary>AUROC, AUPR and FPR at <paramref name="recallLevel"/>, positives expected to score higher.</summary>
    public static AnomalyDetectionMeasures Compute(ReadOnlySpan<double> positiveScores, ReadOnlySpan<double> negativeScores, double recallLevel = DefaultRecallLevel)
        => new()
        {
            Auroc = Auroc(positiveScores, negativeScores),
            Aupr = AveragePrecision(positiveScores, negativeScores),
            FprAtRecall = FalsePositiveRateAtRecall(positiveScores, negativeScores, recallLevel),
            RecallLevel = recallLevel,
            Positives = positiveScores.Length,
            Negatives = negativeScores.Length,
        };

    /// <summary>
    /// Area under the ROC curve: the probability that a positive scores above a negative, ties counting one half, as
    /// ML.NET's binary evaluator computes it (<c>BinaryClassification.EvaluateNonCalibrated</c>, which scores in single
    /// precision: scores that are floats, as the negated maximum softmax probabilities are, are compared exactly; doubles
    /// that differ only below float precision count as ties). On such scores it equals the Mann-Whitney rank-sum AUROC
    /// to the last bit (measured up to 300,000 scores, with and without many ties).
    /// </summary>
    public static double Auroc(ReadOnlySpan<double> positiveScores, ReadOnlySpan<double> negativeScores)
    {
        var (scores, isPositive) = Combine(positiveScores, negativeScores);
        var rows = new AucRow[scores.Length];
        for (int i = 0; i < rows.Length; i++) rows[i] = new AucRow { Label = isPositive[i], Score = (float)scores[i], PredictedLabel = scores[i] > 0 };
        var mlContext = new MLContext(seed: 0);
        return mlContext.BinaryClassification.EvaluateNonCalibrated(mlContext.Data.LoadFromEnumerable(rows)).AreaUnderRocCurve;
    }

    /// <summary>Average precision (area under the precision-recall curve) with the positives as the class to detect.</summary>
    public static double AveragePrecision(ReadOnlySpan<double> positiveScores, ReadOnlySpan<double> negativeScores)
    {
        var (scores, isPositive) = Combine(positiveScores, negativeScores);
        var order = Order(scores, descending: true);
        double totalPositives = positiveScores.Length;
        double ap = 0, previousRecall = 0;
        long tp = 0;
        for (int i = 0; i < order.Length; i++)
        {
            if (isPositive[order[i]]) tp++;
            bool lastOfThreshold = i == order.Length - 1 || scores[order[i + 1]] != scores[order[i]];
            if (!lastOfThreshold) continue;
            double recall = tp / totalPositives;
            double precision = tp / (double)(i + 1);
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
        }
        return ap;
    }

    /// <summary>The false positive rate at the threshold whose recall (true positive rate) is closest to <paramref name="recallLevel"/>.</summary>
    public static double FalsePositiveRateAtRecall(ReadOnlySpan<double> positiveScores, ReadOnlySpan<double> negativeScores, double recallLevel = DefaultRecallLevel)
    {
        if (!(recallLevel > 0 && recallLevel <= 1)) throw new ArgumentOutOfRangeException(nameof(recallLevel), recallLevel, "recallLevel must be in (0, 1].");
        var (scores, isPositive) = Combine(positiveScores, negativeScores);
        var order = Order(scores, descending: true);
        long totalPositives = positiveScores.Length;
        long tp = 0;
        double bestDistance = double.PositiveInfinity;
        long bestFalsePositives = 0;
        for (int i = 0; i < order.Length; i++)
        {
            if (isPositive[order[i]]) tp++;
            bool lastOfThreshold = i == order.Length - 1 || scores[order[i + 1]] != scores[order[i]];
            if (!lastOfThreshold) continue;
            double recall = tp / (double)totalPositives;
            double distance = Math.Abs(recall - recallLevel);
            // Later thresholds have higher recall: "<=" keeps the higher-recall one among equally close thresholds.
            if (distance <= bestDistance) { bestDistance = distance; bestFalsePositives = i + 1 - tp; }
            if (tp == totalPositives) break;
        }
        return bestFalsePositives / (double)negativeScores.Length;
    }

    private static (double[] Scores, bool[] IsPositive) Combine(ReadOnlySpan<double> positives, ReadOnlySpan<double> negatives)
    {
        if (positives.Length == 0) throw new ArgumentException("At least one positive score is needed.", nameof(positives));
        if (negatives.Length == 0) throw new ArgumentException("At least one negative score is needed.", nameof(negatives));
        var scores = new double[positives.Length + negatives.Length];
        var isPositive = new bool[scores.Length];
        positives.CopyTo(scores);
        negatives.CopyTo(scores.AsSpan(positives.Length));
        isPositive.AsSpan(0, positives.Length).Fill(true);
        foreach (var s in scores)
            if (double.IsNaN(s)) throw new ArgumentException("Scores must not be NaN.");
        return (scores, isPositive);
    }

    /// <summary>A row of the binary evaluator's input: whether the example is a positive, and its score.</summary>
    private sealed class AucRow
    {
        public bool Label { get; init; }
        public float Score { get; init; }
        public bool PredictedLabel { get; init; }
    }

    private static int[] Order(double[] scores, bool descending)
    {
        var order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var keys = (double[])scores.Clone();
        if (descending) for (int i = 0; i < keys.Length; i++) keys[i] = -keys[i];
        Array.Sort(keys, order);
        return order;
    }
}
