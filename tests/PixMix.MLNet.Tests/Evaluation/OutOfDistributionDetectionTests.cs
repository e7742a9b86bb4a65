using PixMix.MLNet.Evaluation;

namespace PixMix.MLNet.Tests.Evaluation;

public class OutOfDistributionDetectionTests
{
    private static readonly double[] Pos = [0.9, 0.8, 0.3];
    private static readonly double[] Neg = [0.7, 0.2];

    [Fact]
    public void AurocCountsPairsWherePositiveScoresHigher()
    {
        // Pairs (pos, neg): 0.9>0.7, 0.9>0.2, 0.8>0.7, 0.8>0.2, 0.3<0.7, 0.3>0.2 -> 5 of 6.
        Assert.Equal(5.0 / 6.0, OutOfDistributionDetection.Auroc(Pos, Neg), 12);
    }

    [Fact]
    public void AurocCountsTiesAsOneHalf()
    {
        // (0.5,0.5) twice counts 1/2 each, (0.5,0.1) twice counts 1 each: (1 + 2) / 4.
        Assert.Equal(0.75, OutOfDistributionDetection.Auroc([0.5, 0.5], [0.5, 0.1]), 12);
    }

    [Fact]
    public void AurocOfMaxSoftmaxScoresEqualsThePairCountExactly()
    {
        // Maximum softmax probabilities of 10-class softmaxes, rounded to 1/64 so that many tie across and within the sets.
        var rng = new PixMix.Imaging.PixMixRandom(7);
        float[] Msp(int n, double scale)
        {
            var m = new float[n];
            for (int i = 0; i < n; i++)
            {
                double max = 0, sum = 0;
                var logits = new double[10];
                for (int c = 0; c < 10; c++) max = Math.Max(max, logits[c] = rng.NextDouble() * scale);
                foreach (var l in logits) sum += Math.Exp(l - max);
                m[i] = MathF.Round((float)(1 / sum) * 64) / 64;
            }
            return m;
        }
        var inMsp = Msp(1500, 12);
        var outMsp = Msp(1000, 6);
        // Anomalies (the out-of-distribution set) are the positives and score -MSP: count pairs, ties one half.
        double pairs = 0;
        foreach (var o in outMsp)
            foreach (var n in inMsp)
                pairs += -o > -n ? 1 : -o == -n ? 0.5 : 0;
        Assert.True(inMsp.Concat(outMsp).Distinct().Count() < 100, "the scores should hold many ties");
        Assert.Equal(pairs / (inMsp.Length * (double)outMsp.Length), OutOfDistributionDetection.FromMaxSoftmax(inMsp, outMsp).Auroc, 12);
    }

    [Fact]
    public void AveragePrecisionSumsRecallStepsTimesPrecision()
    {
        // Descending: 0.9 P (R 1/3, P 1), 0.8 P (R 2/3, P 1), 0.7 N, 0.3 P (R 1, P 3/4), 0.2 N.
        // AP = 1/3 * 1 + 1/3 * 1 + 1/3 * 3/4 = 11/12.
        Assert.Equal(11.0 / 12.0, OutOfDistributionDetection.AveragePrecision(Pos, Neg), 12);
    }

    [Fact]
    public void AveragePrecisionGroupsTiedScoresIntoOneThreshold()
    {
        // One threshold at 0.5 holding P, P, N: recall 1, precision 2/3.
        Assert.Equal(2.0 / 3.0, OutOfDistributionDetection.AveragePrecision([0.5, 0.5], [0.5, 0.1]), 12);
    }

    [Fact]
    public void FprAtRecallPicksTheThresholdClosestToTheRecallLevel()
    {
        // Recalls 1/3, 2/3, 2/3, 1: the closest to 0.95 is 1 (at 0.3), where 1 of the 2 negatives (0.7) is above.
        Assert.Equal(0.5, OutOfDistributionDetection.FalsePositiveRateAtRecall(Pos, Neg), 12);
    }

    [Fact]
    public void FprAt95WithExactly95PercentRecall()
    {
        // Positives 1..20, negatives 30, 10.5, 0.5, -1. At threshold 2, 19 of 20 positives are detected (recall 0.95)
        // and the negatives above it are 30 and 10.5: FPR = 2 / 4.
        var pos = Enumerable.Range(1, 20).Select(i => (double)i).ToArray();
        double[] neg = [30, 10.5, 0.5, -1];
        Assert.Equal(0.5, OutOfDistributionDetection.FalsePositiveRateAtRecall(pos, neg), 12);
        // At recall 0.45 (9 of 20: threshold 12) only 30 is above: 1/4.
        Assert.Equal(0.25, OutOfDistributionDetection.FalsePositiveRateAtRecall(pos, neg, 0.45), 12);
        // Recall 0.5 is reached at threshold 11 (30 above) and kept at threshold 10.5 (30 and 10.5 above): equally
        // close, the lower threshold (higher index in the descending order) wins, as in the reference: 2/4.
        Assert.Equal(0.5, OutOfDistributionDetection.FalsePositiveRateAtRecall(pos, neg, 0.5), 12);
    }

    [Fact]
    public void MaxSoftmaxConventionMakesOutOfDistributionPositive()
    {
        // In-distribution MSP 0.9, 0.8, 0.7; OOD MSP 0.75.
        // OOD positive, score = -MSP: descending -0.7 (N), -0.75 (P): AP = 1 * 1/2.
        var ood = OutOfDistributionDetection.FromMaxSoftmax([0.9f, 0.8f, 0.7f], [0.75f]);
        Assert.Equal(0.5, ood.Aupr, 6);
        Assert.Equal(2.0 / 3.0, ood.Auroc, 6);
        Assert.Equal(1, ood.Positives);
        Assert.Equal(3, ood.Negatives);
        // FPR at 95%: the single positive is reached at threshold -0.75, where one negative (-0.7) is above: 1/3.
        Assert.Equal(1.0 / 3.0, ood.FprAtRecall, 6);

        // In-distribution positive, score = MSP: 0.9 P, 0.8 P, 0.75 N, 0.7 P: AP = 1/3 + 1/3 + 1/3 * 3/4.
        var ind = OutOfDistributionDetection.FromMaxSoftmax([0.9f, 0.8f, 0.7f], [0.75f], AnomalyPositiveClass.InDistribution);
        Assert.Equal(11.0 / 12.0, ind.Aupr, 6);
        Assert.Equal(2.0 / 3.0, ind.Auroc, 6);
    }

    [Fact]
    public void HeavilyTiedScoresMatchTheReferenceFormulas()
    {
        // Scores rounded to one decimal (many ties). Expected values from a numpy evaluation of the reference's
        // fpr_and_fdr_at_recall, pair counting for the AUROC and a step sum over distinct thresholds for the AP.
        double[] pos = [1.0, 0.7, 0.8, 1.0, 1.0, 0.4, 0.8, 0.6, 0.6, 0.7, 0.6, 0.9, 0.8, 0.6, 0.7, 0.7, 0.9, 0.6, 0.7, 0.4, 0.1, 0.7, 0.8, 0.5, 1.1, 0.3, 0.6, 0.6, 0.9, 0.9];
        double[] neg = [0.4, 0.5, 0.2, 0.0, 0.3, 0.4, 0.6, 0.6, 0.3, 0.3, 0.2, 0.1, 0.1, 0.8, 0.3, 0.3, 0.1, 0.6, 0.1, 0.4, 0.2, 0.5, 0.3, 0.2, 0.4, 0.5, 0.4, 0.5, 0.3, 0.3, 0.3, 0.3, 0.2, 0.1, 0.4, 0.3, 0.1, 0.5, 0.2, 0.4];
        var m = OutOfDistributionDetection.Compute(pos, neg);
        Assert.Equal(0.9045833333333333, m.Auroc, 12);
        Assert.Equal(0.8793075048127128, m.Aupr, 12);
        Assert.Equal(0.4, m.FprAtRecall, 12);
        Assert.Equal(0.025, OutOfDistributionDetection.FalsePositiveRateAtRecall(pos, neg, 0.5), 12);
    }

    [Fact]
    public void EmptyInputsAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => OutOfDistributionDetection.Auroc([], [0.1]));
        Assert.Contains("positive", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => OutOfDistributionDetection.FalsePositiveRateAtRecall([1.0], [0.0], 1.5));
    }
}
