using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.MLNet.Data;
using PixMix.Imaging.Sources;
using PixMix.MLNet.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace PixMix.MLNet.Tests.Evaluation;

public sealed class TrainedModelFixture
{
    public MLContext Context { get; } = new(seed: 1);
    public PatternImageSource TestSource { get; } = new(250, seed: 2);
    public IDataView Test { get; }
    public ITransformer Model { get; }

    public TrainedModelFixture()
    {
        var train = new ImageSourceDataView(new PatternImageSource(240, seed: 1));
        Test = new ImageSourceDataView(TestSource);
        var pipeline = Context.Transforms.Conversion.ConvertType("Features", "Image", DataKind.Single)
            .Append(Context.Transforms.NormalizeMinMax("Features"))
            .AppendCacheCheckpoint(Context)
            .Append(Context.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Features", maximumNumberOfIterations: 30));
        Model = pipeline.Fit(train);
    }
}

public class SafetyEvaluationTests(TrainedModelFixture fx) : IClassFixture<TrainedModelFixture>
{
    private double MlNetError(IDataView view)
        => 1 - fx.Context.MulticlassClassification.Evaluate(fx.Model.Transform(view)).MicroAccuracy;

    private static IEnumerable<CorruptedSubset> Darkening(PatternImageSource source, string name, int severities)
        => Enumerable.Range(1, severities).Select(s => new CorruptedSubset(name, s, new DarkenedImageSource(source, 1 - 0.3 * s)));

    [Fact]
    public void EndToEndReportMatchesMlNetsOwnEvaluator()
    {
        var options = new SafetyEvaluationOptions
        {
            Corruptions = Darkening(fx.TestSource, "gaussian_noise", 3).Concat(Darkening(fx.TestSource, "darken_extra", 2)),
            ComputeMce = true,
            ComputeRelativeMce = true,
            OutOfDistributionSets =
            [
                new("same", fx.TestSource),
                new("gaussian", new SyntheticOodSource(SyntheticOodKind.Gaussian, 60, 4, 4, 3)),
            ],
            PerturbationSets = [new("frames", ImageSourceSlice.Take(fx.TestSource, 30), 3, IsNoise: false)],
            ModelName = "sdca",
            DatasetName = "patterns",
        };
        var report = fx.Context.MulticlassClassification.EvaluateSafety(fx.Model, fx.Test, options);

        // Clean error equals 1 - ML.NET's micro accuracy.
        Assert.Equal(250, report.Clean.Examples);
        Assert.Equal(MlNetError(fx.Test), report.Clean.Error, 9);
        Assert.InRange(report.Clean.MeanConfidence, 1.0 / 3, 1.0);
        Assert.Equal(250, report.Reliability.Sum(b => b.Count));
        Assert.Equal(3, report.Metadata.ClassCount);

        // Each corruption cell equals ML.NET's error on the same corrupted view.
        var cr = report.Corruptions!;
        Assert.Equal(["gaussian_noise", "darken_extra"], cr.Results.Select(r => r.Corruption));
        Assert.Equal([1, 2, 3], cr.Results[0].Severities.Select(s => s.Severity));
        for (int s = 1; s <= 3; s++)
        {
            var view = new ImageSourceDataView(new DarkenedImageSource(fx.TestSource, 1 - 0.3 * s));
            Assert.Equal(MlNetError(view), cr.Results[0].Severities[s - 1].Error, 9);
        }
        Assert.True(cr.Results[0].Severities[2].Error > report.Clean.Error + 0.2, "the shadow corruption should hurt");
        var cells = cr.Results.SelectMany(r => r.Severities).Select(x => x.Error).ToList();
        Assert.Equal(5, cells.Count);
        Assert.Equal(cells.Average(), cr.AverageError, 12);
        // The extra corruption is reported but left out of the mCE (AlexNet has no error for it).
        Assert.Equal(["gaussian_noise"], cr.MceCorruptions);
        Assert.Equal(["darken_extra"], cr.ExcludedFromMce);
        double gn = cr.Results[0].MeanError;
        Assert.Equal(100 * gn / 0.886428, cr.Mce!.Value, 9);
        Assert.Equal(100 * (gn - report.Clean.Error) / (0.886428 - 0.43478), cr.RelativeMce!.Value, 9);
        Assert.Null(cr.Results[1].CorruptionError);

        // The in-distribution set against itself cannot be told apart: AUROC exactly 0.5.
        var ad = report.AnomalyDetection!;
        Assert.Equal(0.5, ad.Sets[0].Auroc, 12);
        Assert.Equal(60, ad.Sets[1].Examples);
        Assert.InRange(ad.Sets[1].Auroc, 0, 1);

        // Flip rate: predictions taken from ML.NET's PredictedLabel column, flips counted by hand.
        var frames = fx.Model.Transform(new ImageSourceDataView(ImageSourceSlice.Take(fx.TestSource, 30)));
        var predicted = frames.GetColumn<uint>("PredictedLabel").ToArray();
        double expected = 0;
        for (int q = 0; q < 10; q++)
            expected += ((predicted[3 * q] != predicted[3 * q + 1] ? 1 : 0) + (predicted[3 * q + 1] != predicted[3 * q + 2] ? 1 : 0)) / 2.0 / 10;
        Assert.Equal(expected, report.Consistency!.Perturbations[0].FlipRate, 12);
        Assert.Equal(10, report.Consistency.Perturbations[0].Sequences);
    }

    [Fact]
    public void EvaluateCorruptionsAloneNeedsTheCleanErrorForRelativeMce()
    {
        var options = new SafetyEvaluationOptions { ComputeRelativeMce = true };
        var e = Assert.Throws<InvalidOperationException>(() =>
            fx.Context.MulticlassClassification.EvaluateCorruptions(fx.Model, Darkening(fx.TestSource, "fog", 1), options));
        Assert.Contains("clean error", e.Message);

        var report = fx.Context.MulticlassClassification.EvaluateCorruptions(fx.Model, Darkening(fx.TestSource, "fog", 2), options, cleanError: 0.1);
        double mean = report.Results[0].MeanError;
        Assert.Equal(100 * (mean - 0.1) / (0.819324 - 0.43478), report.RelativeMce!.Value, 9);
        Assert.Null(report.Mce);
    }

    [Fact]
    public void MceWithOnlyUnknownCorruptionsIsAClearError()
    {
        var options = new SafetyEvaluationOptions { ComputeMce = true };
        var e = Assert.Throws<InvalidOperationException>(() =>
            fx.Context.MulticlassClassification.EvaluateCorruptions(fx.Model, Darkening(fx.TestSource, "darken", 1), options));
        Assert.Contains("darken", e.Message);
        Assert.Contains("baseline", e.Message);
    }

    [Fact]
    public void MissingScoreColumnIsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => fx.Context.MulticlassClassification.EvaluateSafety(fx.Model, fx.Test,
            new SafetyEvaluationOptions { ScoreColumnName = "Probabilities" }));
        Assert.Contains("'Probabilities'", e.Message);
        Assert.Contains("Score", e.Message); // lists the available columns
    }

    [Fact]
    public void ScoreThatIsNotAFloatVectorIsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => fx.Context.MulticlassClassification.EvaluateSafety(fx.Model, fx.Test,
            new SafetyEvaluationOptions { ScoreColumnName = "PredictedLabel" }));
        Assert.Contains("vector of Single", e.Message);
    }

    [Fact]
    public void LabelThatIsNotAKeyIsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => fx.Context.MulticlassClassification.EvaluateSafety(fx.Model, fx.Test,
            new SafetyEvaluationOptions { LabelColumnName = "Features" }));
        Assert.Contains("key type", e.Message);
        Assert.Contains("MapValueToKey", e.Message);
    }

    [Fact]
    public void ClassCountMismatchIsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => fx.Context.MulticlassClassification.EvaluateSafety(fx.Model, fx.Test,
            new SafetyEvaluationOptions { ClassCount = 5 }));
        Assert.Contains("Class-count mismatch", e.Message);
    }

    [Fact]
    public void OodImagesOfAnotherSizeAreAClearError()
    {
        var options = new SafetyEvaluationOptions { OutOfDistributionSets = [new("big", new SyntheticOodSource(SyntheticOodKind.Gaussian, 4, 8, 8, 3))] };
        var e = Assert.Throws<ArgumentException>(() => fx.Context.MulticlassClassification.EvaluateSafety(fx.Model, fx.Test, options));
        Assert.Contains("'big'", e.Message);
    }

    [Fact]
    public void PgdAttackRunsOnATorchSharpModelFromTheCleanImages()
    {
        nn.Module<Tensor, Tensor> Make()
        {
            torch.manual_seed(7);
            return nn.Sequential(("flatten", nn.Flatten()), ("linear", nn.Linear(48, 3)));
        }
        var options = new SafetyEvaluationOptions
        {
            AdversarialModel = () => new PgdTarget(Make(), [0f], [1f]),
            Pgd = new PgdOptions { Epsilon = 0.3f, StepSize = 0.05f, Steps = 10, BatchSize = 8 },
            AdversarialMaxExamples = 20,
        };
        var report = fx.Context.MulticlassClassification.EvaluateSafety(fx.Model, fx.Test, options);
        var adv = report.Adversarial!;
        Assert.Equal(20, adv.Examples);
        Assert.Equal(10, adv.Steps);
        Assert.True(adv.AdversarialError > adv.CleanError, $"adversarial {adv.AdversarialError} vs clean {adv.CleanError}");
        Assert.True(adv.AdversarialError >= 0.9, $"adversarial error {adv.AdversarialError}");
    }

    [Fact]
    public void ReportRoundTripsThroughJsonFile()
    {
        var options = new SafetyEvaluationOptions
        {
            Corruptions = Darkening(fx.TestSource, "contrast", 2),
            ComputeMce = true,
            OutOfDistributionSets = [new("rademacher", new SyntheticOodSource(SyntheticOodKind.Rademacher, 30, 4, 4, 3))],
            ModelName = "sdca",
        };
        var report = fx.Context.MulticlassClassification.EvaluateSafety(fx.Model, fx.Test, options);
        var dir = Directory.CreateTempSubdirectory("pixmix-report-");
        try
        {
            string path = Path.Combine(dir.FullName, "report.json");
            SafetyReportJson.Save(report, path);
            Assert.Equal(["report.json"], Directory.GetFiles(dir.FullName).Select(Path.GetFileName));
            var back = SafetyReportJson.Load(path);
            Assert.Equal(SafetyReportJson.Serialize(report), SafetyReportJson.Serialize(back));
            Assert.Equal(report.Clean, back.Clean);
            Assert.Equal(report.Metadata, back.Metadata);
            Assert.Equal(report.Corruptions!.Mce, back.Corruptions!.Mce);
            Assert.Equal(report.Corruptions.Results[0].Severities, back.Corruptions.Results[0].Severities);
            Assert.Equal(report.AnomalyDetection!.Sets, back.AnomalyDetection!.Sets);
            Assert.Equal(report.Reliability, back.Reliability);
        }
        finally { dir.Delete(recursive: true); }
    }
}
