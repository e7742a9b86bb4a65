using PixMix.Imaging.Mixing;
using PixMix.Cli.Demo;
using PixMix.MLNet.Evaluation;

namespace PixMix.Cli.Tests.Demo;

public class DemoSummaryTests
{
    private static SafetyReport Report(double clean, double corruption, double gaussianAuroc, double blobsAuroc) => new()
    {
        Clean = new SubsetEvaluation { Examples = 100, Error = clean, RmsCalibrationError = clean / 2 },
        Corruptions = new CorruptionReport { AverageError = corruption, AverageRmsCalibrationError = corruption / 3 },
        Consistency = new ConsistencyReport { MeanFlipRate = corruption / 10 },
        Adversarial = new AdversarialReport { AdversarialError = 1 - clean },
        AnomalyDetection = new AnomalyDetectionReport
        {
            Sets = [new AnomalyDetectionResult { OodSet = "gaussian", Auroc = gaussianAuroc }, new AnomalyDetectionResult { OodSet = "blobs", Auroc = blobsAuroc }],
            MeanAuroc = (gaussianAuroc + blobsAuroc) / 2,
            MeanFprAtRecall = 1 - (gaussianAuroc + blobsAuroc) / 2,
        },
    };

    [Fact]
    public void MeanStdAndPairedDifferenceOfEachMetric()
    {
        var baseline = new[] { Report(0.10, 0.35, 0.6, 0.05), Report(0.12, 0.33, 0.5, 0.07), Report(0.11, 0.34, 0.55, 0.06) };
        var pixmix = new[] { Report(0.11, 0.15, 0.9, 0.97), Report(0.12, 0.16, 0.95, 0.96), Report(0.10, 0.155, 0.92, 0.98) };
        var metrics = DemoSummary.Create(baseline, pixmix);

        Assert.Equal(["clean error", "RMS calibration error, clean", "mean corruption error", "RMS calibration error, corruptions",
            "mean flip probability (Fashion-MNIST-P)", "PGD error (L-inf 2/255, 20 steps)", "mean AUROC", "mean FPR at 95% TPR", "AUROC gaussian", "AUROC blobs"], metrics.Select(m => m.Name));
        var clean = metrics[0];
        Assert.Equal(0.11, clean.BaselineMean, 12);
        Assert.Equal(0.01, clean.BaselineStd!.Value, 12);                 // values 0.10, 0.12, 0.11
        Assert.Equal([0.01, 0.0, -0.01], clean.Differences.Select(d => Math.Round(d, 12)));
        Assert.Equal(0.0, clean.DifferenceMean, 12);
        Assert.False(clean.BeyondNoise);                                    // differences of both signs

        var corruption = metrics[2];
        Assert.Equal(-0.185, corruption.DifferenceMean, 12);             // -0.20, -0.17, -0.185
        Assert.Equal(0.015, corruption.DifferenceStd!.Value, 12);
        Assert.True(corruption.BeyondNoise);
        Assert.True(corruption.PixMixBetter);

        var flips = metrics.Single(m => m.Name.StartsWith("mean flip probability", StringComparison.Ordinal));
        Assert.False(flips.HigherIsBetter);
        Assert.Equal([0.035, 0.033, 0.034], flips.Baseline.Select(v => Math.Round(v, 12)));
        var pgd = metrics.Single(m => m.Name.StartsWith("PGD error", StringComparison.Ordinal));
        Assert.Equal([0.89, 0.88, 0.90], pgd.PixMix.Select(v => Math.Round(v, 12)));

        var blobs = metrics.Single(m => m.Name == "AUROC blobs");
        Assert.True(blobs.HigherIsBetter);
        Assert.True(blobs.PixMixBetter);
        Assert.Equal([0.05, 0.07, 0.06], blobs.Baseline);
    }

    [Fact]
    public void TwoConsistentSeedsAreStillNoiseUnlessFarBeyondTheirSpread()
    {
        // Differences 0.10 and 0.12: mean 0.11, standard error 0.01; a paired t-test with one degree of freedom needs
        // 12.7 standard errors (0.127), so this is noise although both seeds agree in sign.
        var close = DemoSummary.Create([Report(0.10, 0.3, 0.5, 0.5), Report(0.10, 0.3, 0.5, 0.5)],
                                       [Report(0.20, 0.3, 0.5, 0.5), Report(0.22, 0.3, 0.5, 0.5)]);
        Assert.Equal(0.11, close[0].DifferenceMean, 12);
        Assert.False(close[0].BeyondNoise);
        // Differences 0.10 and 0.105: standard error 0.0025, 12.7 of them is 0.032 < 0.1025.
        var far = DemoSummary.Create([Report(0.10, 0.3, 0.5, 0.5), Report(0.10, 0.3, 0.5, 0.5)],
                                     [Report(0.20, 0.3, 0.5, 0.5), Report(0.205, 0.3, 0.5, 0.5)]);
        Assert.True(far[0].BeyondNoise);
        Assert.False(far[0].PixMixBetter);
    }

    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(2, 4.303)]
    [InlineData(4, 2.776)]
    [InlineData(19, 2.093)]
    [InlineData(40, 2.021)]
    [InlineData(120, 1.980)]
    public void CriticalTIsStudentsTwoSidedFivePercentQuantile(int degreesOfFreedom, double expected)
        => Assert.Equal(expected, DemoMetric.CriticalT(degreesOfFreedom), 2);

    [Fact]
    public void CriticalTAgreesWithThePrintedTableToItsThreeDecimals()
    {
        // t(0.975, df) for df = 1..30 as statistical tables print it (rounded to three decimals).
        double[] table =
        [
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
            2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
        ];
        for (int df = 1; df <= table.Length; df++)
            Assert.Equal(table[df - 1], Math.Round(DemoMetric.CriticalT(df), 3));
        // Large samples approach the normal quantile 1.95996 from above.
        Assert.InRange(DemoMetric.CriticalT(10_000), 1.95996, 1.9603);
    }

    [Fact]
    public void ADifferenceWithinItsSpreadIsNoise()
    {
        // Differences 0.01 and 0.05: mean 0.03, std 0.0283, standard error 0.02; 0.03 < 12.7 x 0.02.
        var metrics = DemoSummary.Create([Report(0.10, 0.3, 0.5, 0.5), Report(0.10, 0.3, 0.5, 0.5)],
                                         [Report(0.11, 0.3, 0.5, 0.5), Report(0.15, 0.3, 0.5, 0.5)]);
        Assert.Equal(0.03, metrics[0].DifferenceMean, 12);
        Assert.False(metrics[0].BeyondNoise);
        Assert.False(metrics[0].PixMixBetter);
    }

    [Fact]
    public void OneRunHasNoSpreadAndAnUnknownVerdict()
    {
        var metrics = DemoSummary.Create([Report(0.10, 0.3, 0.5, 0.5)], [Report(0.12, 0.2, 0.9, 0.9)]);
        Assert.Null(metrics[0].BaselineStd);
        Assert.Null(metrics[0].DifferenceStd);
        Assert.Null(metrics[0].BeyondNoise);
        string md = DemoSummary.ToMarkdown(metrics);
        Assert.Contains("| clean error | 10.00 | 12.00 | +2.00 | one run: unknown |", md);
    }

    [Fact]
    public void TablesShowMeanPlusMinusStdInPercent()
    {
        var metrics = DemoSummary.Create([Report(0.10, 0.35, 0.6, 0.1), Report(0.12, 0.33, 0.6, 0.1)],
                                         [Report(0.10, 0.15, 0.9, 0.9), Report(0.12, 0.14, 0.9, 0.9)]);
        string md = DemoSummary.ToMarkdown(metrics);
        Assert.Contains("| mean corruption error | 34.00 ± 1.41 | 14.50 ± 0.71 | -19.50 ± 0.71 | yes, PixMix better |", md);
        string text = DemoSummary.ToText(metrics);
        Assert.Contains("34.00 ± 1.41", text);
        string header = text.Split('\n').First(l => l.Contains("metric (%)"));
        Assert.Contains("beyond seed noise", header);
        Assert.DoesNotContain("\u001b", text, StringComparison.Ordinal);   // plain text: no escape codes in a redirected console
    }

    [Fact]
    public void MismatchedRunCountsAreRejected()
        => Assert.Throws<ArgumentException>(() => DemoSummary.Create([Report(0.1, 0.3, 0.5, 0.5)], []));

    [Fact]
    public void ResolveAppliesTheDefaultsAndChecksRanges()
    {
        var full = RobustnessDemo.Resolve(new DemoOptions());
        var quick = RobustnessDemo.Resolve(new DemoOptions { Quick = true });
        Assert.True(full.Seeds >= 2, "the default run measures the seed noise");
        Assert.Equal(1, quick.Seeds);
        Assert.True(quick.TrainImages < full.TrainImages);
        Assert.True(full.CorruptionImages <= full.TestImages);
        Assert.Equal(RobustnessDemo.DefaultPixMix, full.PixMix);
        Assert.Equal(PixMixParameters.Cifar with { K = 1 }, full.PixMix);     // the paper's recipe, one mixing round at most
        Assert.Equal(3, RobustnessDemo.Resolve(new DemoOptions { Seeds = 3 }).Seeds);
        Assert.Equal(0.0, full.Dropout);
        Assert.Equal(0.1, full.LearningRate);
        Assert.Equal(5, full.Epochs);
        Assert.Equal((200, 500), (full.PerturbationSequences, full.AdversarialImages));
        Assert.Equal((40, 100), (quick.PerturbationSequences, quick.AdversarialImages));
        Assert.Equal(nameof(DemoOptions.PerturbationSequences),
            Assert.Throws<ArgumentOutOfRangeException>(() => RobustnessDemo.Resolve(new DemoOptions { TestImages = 150, CorruptionImages = 100, PerturbationSequences = 200 })).ParamName);
        Assert.Equal(0.25, RobustnessDemo.Resolve(new DemoOptions { Dropout = 0.25 }).Dropout);
        // Outlier Exposure's evaluation: each synthetic OOD set holds a fifth of the in-distribution test images.
        Assert.Equal(full.TestImages / 5, full.OodImages);
        Assert.Equal(200, RobustnessDemo.Resolve(new DemoOptions { TestImages = 1000 }).OodImages);
        var d = Assert.Throws<ArgumentOutOfRangeException>(() => RobustnessDemo.Resolve(new DemoOptions { Dropout = 1 }));
        Assert.Equal(nameof(DemoOptions.Dropout), d.ParamName);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RobustnessDemo.Resolve(new DemoOptions { TestImages = 500, CorruptionImages = 600 }));
        Assert.Equal(nameof(DemoOptions.CorruptionImages), e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => RobustnessDemo.Resolve(new DemoOptions { Seeds = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RobustnessDemo.Resolve(new DemoOptions { LearningRate = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RobustnessDemo.Resolve(new DemoOptions { PixMix = new PixMixParameters { K = 17 } }));
    }
}
