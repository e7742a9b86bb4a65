using PixMix.MLNet.Evaluation;

namespace PixMix.MLNet.Tests.Evaluation;

public class SafetyReportRenderingTests
{
    [Fact]
    public void MarkdownHasTheSummaryAndCorruptionTable()
    {
        var md = SafetyReportMarkdown.ToMarkdown(SampleReports.Make("baseline", 1));
        Assert.Contains("# Safety report: baseline on cifar10", md);
        Assert.Contains("| Clean error (%) | 5.00 |", md);
        Assert.Contains("| mCE | 60.00 |", md);
        // gaussian_noise: 5, 10, 15, 20, 25 % errors, mean 15 %.
        Assert.Contains("| gaussian_noise | 5.00 | 10.00 | 15.00 | 20.00 | 25.00 | 15.00 |", md);
        Assert.Contains("| gaussian | 90.00 | 80.00 | 30.00 |", md);
        Assert.Contains("Not in the mCE (no baseline error): speckle_noise", md);
        Assert.Contains("| PGD error (%) | 90.00 |", md);
    }

    [Fact]
    public void ComparisonShowsBothReportsAndTheChange()
    {
        var a = SampleReports.Make("baseline", 1);
        var b = SampleReports.Make("pixmix", 0.5);
        var md = SafetyReportMarkdown.ToComparisonMarkdown(a, b);
        Assert.Contains("| Metric | Baseline | PixMix | Change |", md);
        // Clean error 5 % -> 2.5 %: -2.50, lower is better.
        Assert.Contains("| Clean error (%) | 5.00 | 2.50 | -2.50 (better) |", md);
        // AUROC 90 % -> 180 % (made-up) is higher: better.
        Assert.Contains("| Mean AUROC (%) | 90.00 | 180.00 | +90.00 (better) |", md);
        Assert.Contains("| mCE | 60.00 | 30.00 | -30.00 (better) |", md);

        var text = SafetyReportMarkdown.ToComparisonText(a, b, "base", "mix");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.StartsWith("Metric", lines[0]);
        Assert.Contains("base", lines[0]);
        Assert.All(lines.Skip(2), l => Assert.Equal(lines[0].Length, l.Length)); // aligned columns
        Assert.Contains(lines, l => l.StartsWith("PGD error (%)") && l.Contains("90.00") && l.Contains("45.00"));
    }

    [Fact]
    public void JsonUsesStableCamelCaseNamesAndRoundTrips()
    {
        var r = SampleReports.Make("baseline", 1);
        var json = SafetyReportJson.Serialize(r);
        Assert.Contains("\"clean\": {", json);
        Assert.Contains("\"rmsCalibrationError\"", json);
        Assert.Contains("\"excludedFromMce\"", json);
        Assert.Contains("\"positiveClass\": \"outOfDistribution\"", json);
        Assert.Contains("\"calibrationBinning\": \"reference\"", json);
        var back = SafetyReportJson.Deserialize(json);
        Assert.Equal(json, SafetyReportJson.Serialize(back));
        Assert.Equal(r.Metadata, back.Metadata);
        Assert.Equal(r.Adversarial, back.Adversarial);
        Assert.Equal(r.Reliability, back.Reliability);
    }

    [Fact]
    public void NewerFormatVersionsAndGarbageAreRefused()
    {
        var r = SampleReports.Make("x", 1) with { Metadata = new ReportMetadata { FormatVersion = 99 } };
        var e = Assert.Throws<InvalidDataException>(() => SafetyReportJson.Deserialize(SafetyReportJson.Serialize(r)));
        Assert.Contains("99", e.Message);
        Assert.Throws<InvalidDataException>(() => SafetyReportJson.Deserialize("[1, 2]"));
        Assert.Throws<FileNotFoundException>(() => SafetyReportJson.Load("/nonexistent/report.json"));
    }
}
