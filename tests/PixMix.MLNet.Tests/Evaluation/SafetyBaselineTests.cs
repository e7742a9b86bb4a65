using Microsoft.ML;
using PixMix.MLNet.Data;
using PixMix.Imaging.Sources;
using PixMix.MLNet.Evaluation;

namespace PixMix.MLNet.Tests.Evaluation;

public class SafetyBaselineTests(TrainedModelFixture fx) : IClassFixture<TrainedModelFixture>
{
    private SafetyEvaluationOptions Options(int severities = 3, long frames = 30, SafetyReport? baseline = null) => new()
    {
        Corruptions = Darkening("gaussian_noise", severities).Concat(Darkening("darken_extra", 2)),
        PerturbationSets = [new("frames", ImageSourceSlice.Take(fx.TestSource, frames), 3, IsNoise: false)],
        ModelName = "sdca",
        Baseline = baseline,
    };

    private IEnumerable<CorruptedSubset> Darkening(string name, int severities)
        => Enumerable.Range(1, severities).Select(s => new CorruptedSubset(name, s, new DarkenedImageSource(fx.TestSource, 1 - 0.3 * s)));

    private SafetyReport Evaluate(SafetyEvaluationOptions options) => fx.Context.MulticlassClassification.EvaluateSafety(fx.Model, fx.Test, options);

    [Fact]
    public void TheModelAgainstItsOwnReportScoresOneHundredEverywhere()
    {
        var own = Evaluate(Options());
        Assert.Null(own.Corruptions!.Mce);
        Assert.Null(own.Consistency!.NormalizedMeanFlipRate);
        Assert.True(own.Consistency.MeanFlipRate > 0, "the frames should flip some predictions");

        var again = Evaluate(Options(baseline: own));
        var cr = again.Corruptions!;
        Assert.Equal(["gaussian_noise", "darken_extra"], cr.MceCorruptions);
        Assert.Empty(cr.ExcludedFromMce);
        Assert.Equal(100, cr.Mce!.Value, 9);
        Assert.All(cr.Results, r => Assert.Equal(100, r.CorruptionError!.Value, 9));
        Assert.Equal(100, again.Consistency!.NormalizedMeanFlipRate!.Value, 9);
        Assert.Equal("sdca", again.Metadata.BaselineModelName);
        Assert.Contains("relative to the baseline report of 'sdca'", SafetyReportMarkdown.ToMarkdown(again), StringComparison.Ordinal);
        Assert.Contains("FR (baseline = 100)", SafetyReportMarkdown.ToMarkdown(again), StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorsAndFlipRatesAreDividedByTheBaselines()
    {
        var own = Evaluate(Options());
        // A baseline with known numbers: twice and four times the model's corruption errors, clean error 0.05, flip rate 0.4.
        var gn = own.Corruptions!.Results[0];
        var extra = own.Corruptions.Results[1];
        Assert.True(gn.MeanError > 0 && extra.MeanError > 0, "both corruptions should cost some accuracy");
        var baseline = own with
        {
            Clean = own.Clean with { Error = 0.05 },
            Corruptions = own.Corruptions with { Results = [gn with { MeanError = 2 * gn.MeanError }, extra with { MeanError = 4 * extra.MeanError }] },
            Consistency = own.Consistency! with { Perturbations = [own.Consistency.Perturbations[0] with { FlipRate = 0.4 }] },
        };

        var report = Evaluate(Options(baseline: baseline));
        var cr = report.Corruptions!;
        Assert.Equal(50, cr.Results[0].CorruptionError!.Value, 9);
        Assert.Equal(25, cr.Results[1].CorruptionError!.Value, 9);
        Assert.Equal(37.5, cr.Mce!.Value, 9);
        double clean = report.Clean.Error;
        double relative = 100 * ((gn.MeanError - clean) / (2 * gn.MeanError - 0.05) + (extra.MeanError - clean) / (4 * extra.MeanError - 0.05)) / 2;
        Assert.Equal(relative, cr.RelativeMce!.Value, 9);
        var fr = report.Consistency!.Perturbations[0];
        Assert.Equal(100 * fr.FlipRate / 0.4, fr.NormalizedFlipRate!.Value, 9);
        Assert.Equal(fr.NormalizedFlipRate, report.Consistency.NormalizedMeanFlipRate);
    }

    [Fact]
    public void ABaselineMeasuredOnOtherCellsIsRefusedByName()
    {
        var threeSeverities = Evaluate(Options());
        var e = Assert.Throws<ArgumentException>(() => Evaluate(Options(severities: 2, baseline: threeSeverities)));
        Assert.Equal(nameof(SafetyEvaluationOptions.Baseline), e.ParamName);
        Assert.Contains("corruption 'gaussian_noise'", e.Message, StringComparison.Ordinal);
        Assert.Contains("severity 3 (250 images); this evaluation at severity 1 (250 images), severity 2 (250 images).", e.Message, StringComparison.Ordinal);

        // The same severities on fewer images are refused once the cell has been scored.
        var gn = threeSeverities.Corruptions!.Results[0];
        var fewerImages = threeSeverities with
        {
            Corruptions = threeSeverities.Corruptions with { Results = [gn with { Severities = gn.Severities.Select(v => v with { Examples = 100 }).ToList() }] },
        };
        var c = Assert.Throws<ArgumentException>(() => Evaluate(Options(baseline: fewerImages)));
        Assert.Contains("severity 3 (100 images); this evaluation at severity 1 (250 images)", c.Message, StringComparison.Ordinal);

        var fewerSequences = Evaluate(Options(frames: 15, baseline: null));
        var f = Assert.Throws<ArgumentException>(() => Evaluate(Options(baseline: fewerSequences)));
        Assert.Equal(nameof(SafetyEvaluationOptions.Baseline), f.ParamName);
        Assert.Contains("perturbation 'frames' on 5 sequences of 3 frames; this evaluation on 10 of 3", f.Message, StringComparison.Ordinal);

        var otherTestSet = threeSeverities with { Clean = threeSeverities.Clean with { Examples = 100 } };
        var g = Assert.Throws<ArgumentException>(() => Evaluate(Options(baseline: otherTestSet)));
        Assert.Contains("100 clean test images; this evaluation on 250", g.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABaselineThatNeverErredOnACorruptionLeavesItOutAndGivesNoRelativeMce()
    {
        var own = Evaluate(Options());
        var perfect = own with
        {
            Corruptions = own.Corruptions! with { Results = [own.Corruptions.Results[0], own.Corruptions.Results[1] with { MeanError = 0 }] },
            Clean = own.Clean with { Error = 0.99 },
        };
        var report = Evaluate(Options(baseline: perfect));
        Assert.Equal(["gaussian_noise"], report.Corruptions!.MceCorruptions);
        Assert.Equal(["darken_extra"], report.Corruptions.ExcludedFromMce);
        Assert.Equal(100, report.Corruptions.Mce!.Value, 9);
        // The baseline's clean error (0.99) exceeds its corruption error: the relative mCE is undefined and left out.
        Assert.Null(report.Corruptions.RelativeMce);
    }

    [Fact]
    public void ABaselineReportAndBaselineErrorsExcludeEachOther()
    {
        var own = Evaluate(Options());
        var options = Options(baseline: own);
        options.MceBaselineErrors = new Dictionary<string, double> { ["gaussian_noise"] = 0.5 };
        var e = Assert.Throws<ArgumentException>(() => new SafetyEvaluator(fx.Model, options));
        Assert.Equal(nameof(SafetyEvaluationOptions.Baseline), e.ParamName);
    }
}
