using PixMix.MLNet.Training;

namespace PixMix.MLNet.Tests.Training;

/// <summary>The estimate of a run's length, its wording and the over-an-hour decision, from given numbers (nothing is timed).</summary>
public class RunEstimateTests
{
    [Fact]
    public void TheTimeLeftIsTheMeasuredTimePerUnitTimesTheUnitsLeft()
    {
        Assert.Equal(40, RunEstimate.SecondsLeft(measuredSeconds: 10, measuredUnits: 5, unitsLeft: 20));
        Assert.Equal(0, RunEstimate.SecondsLeft(10, 5, 0));
        Assert.Null(RunEstimate.SecondsLeft(10, 0, 20));
        Assert.Null(RunEstimate.SecondsLeft(double.NaN, 5, 20));
        Assert.Null(RunEstimate.SecondsLeft(10, 5, -1));
    }

    [Theory]
    [InlineData(0.0, "0s")]
    [InlineData(0.2, "<1s")]
    [InlineData(45.0, "45s")]
    [InlineData(725.0, "12m 05s")]
    [InlineData(12_000.0, "3h 20m")]
    [InlineData(360_000.0, "4d 04h")]
    public void DurationsAreWordedForPeople(double seconds, string expected) => Assert.Equal(expected, RunEstimate.Duration(seconds));

    [Fact]
    public void AnUnknownDurationSaysSo()
    {
        Assert.Equal("unknown", RunEstimate.Duration(null));
        Assert.Equal("unknown", RunEstimate.Duration(double.PositiveInfinity));
    }

    [Fact]
    public void OnlyARunOfOverAnHourGetsTheNoticeAndItNamesTheCheaperOption()
    {
        // 2000 steps measured at 2 s each: 4000 s in all, over the hour.
        double total = 10 + RunEstimate.SecondsLeft(6, 3, 1996)!.Value;
        string? notice = RunEstimate.LongRunNotice(total, "fewer Epochs (now 100) takes much less time");
        Assert.NotNull(notice);
        Assert.Contains("about 1h 07m", notice);
        Assert.Contains("over an hour", notice);
        Assert.Contains("fewer Epochs (now 100)", notice);

        Assert.Null(RunEstimate.LongRunNotice(3599, "fewer Epochs"));
        Assert.Null(RunEstimate.LongRunNotice(null, "fewer Epochs"));
        Assert.True(RunEstimate.IsLong(3601));
        Assert.False(RunEstimate.IsLong(3600));
    }

    [Fact]
    public void AProgressLineHasTheCountTheRateAndTheTimeLeft()
    {
        Assert.Equal("corruption 3/15 contrast, images/s 812, ETA 1m 05s", RunEstimate.Line("corruption", 3, 15, "contrast", 812.4, 65));
        Assert.Equal("set 1/4, images/s 9.5, ETA unknown", RunEstimate.Line("set", 1, 4, null, 9.5, null));
    }

    [Fact]
    public void ATrainingReportReadsEpochLossImagesPerSecondAndEta()
    {
        var report = new TrainingProgress(TrainingProgressKind.EpochEnd, 1, 5, 200, 500, 0.5, 0.05, 1234.4, 0.1, 0.8, 0.75) { SecondsLeft = 120 };
        string text = report.ToString();
        Assert.StartsWith("epoch 2/5, loss 0.5000, images/s 1234, ETA 2m 00s; step 200/500", text);
        Assert.EndsWith("val-acc 75.00 %", text);
    }
}
