using PixMix.MLNet.Evaluation;

namespace PixMix.MLNet.Tests.Evaluation;

/// <summary>Hand-made reports for rendering tests.</summary>
public static class SampleReports
{
    public static SafetyReport Make(string model, double scale)
    {
        string[] names = ["gaussian_noise", "fog", "speckle_noise"];
        var results = names.Select((n, i) => new CorruptionResult
        {
            Corruption = n,
            Severities = Enumerable.Range(1, 5).Select(s => new SeverityResult { Severity = s, Examples = 100, Error = scale * (0.05 * s + 0.1 * i), RmsCalibrationError = 0.1 }).ToList(),
            MeanError = scale * (0.15 + 0.1 * i),
        }).ToList();
        return new SafetyReport
        {
            Metadata = new ReportMetadata { ModelName = model, DatasetName = "cifar10", ClassCount = 10, CreatedUtc = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) },
            Clean = new SubsetEvaluation { Examples = 1000, Error = scale * 0.05, RmsCalibrationError = 0.03, ExpectedCalibrationError = 0.02, MeanConfidence = 0.9 },
            Reliability = Enumerable.Range(0, 10).Select(b => new ReliabilityBin
            {
                Lower = b / 10.0, Upper = (b + 1) / 10.0, Count = b < 3 ? 0 : 10 * b, MeanConfidence = b / 10.0 + 0.05, Accuracy = Math.Min(1, b / 10.0 + 0.05 * scale),
            }).ToList(),
            Corruptions = new CorruptionReport
            {
                Results = results,
                AverageError = results.Average(r => r.MeanError),
                AverageRmsCalibrationError = 0.1,
                Mce = 60 * scale,
                MceCorruptions = ["gaussian_noise", "fog"],
                ExcludedFromMce = ["speckle_noise"],
            },
            AnomalyDetection = new AnomalyDetectionReport
            {
                Sets = [new AnomalyDetectionResult { OodSet = "gaussian", Examples = 100, Auroc = 0.9 / scale, Aupr = 0.8, FprAtRecall = 0.3 }],
                MeanAuroc = 0.9 / scale, MeanAupr = 0.8, MeanFprAtRecall = 0.3,
            },
            Consistency = new ConsistencyReport { Perturbations = [new FlipRateResult { Perturbation = "rotate", Sequences = 10, FramesPerSequence = 31, FlipRate = 0.05 * scale }], MeanFlipRate = 0.05 * scale },
            Adversarial = new AdversarialReport { Epsilon = 2 / 255.0, Steps = 20, StepSize = 0.5 / 255, RandomStart = true, Examples = 100, CleanError = 0.05, AdversarialError = 0.9 * scale },
        };
    }
}
