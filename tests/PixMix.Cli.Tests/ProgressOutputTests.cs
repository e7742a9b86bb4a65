using System.Text.Json;
using PixMix.Cli.Commands;
using PixMix.MLNet.Training;
using PixMix.TestSupport;

namespace PixMix.Cli.Tests;

/// <summary>
/// Progress with output redirected (the tests give the command line writers of their own): one line per epoch,
/// corruption or scored set on standard error, with the images per second and the time left, and nothing but the
/// result on standard output.
/// </summary>
public class ProgressOutputTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // Standard output is exactly one JSON object on one line.
    private static JsonElement SingleJsonObject(string stdout)
    {
        var line = Assert.Single(Lines(stdout));
        var root = JsonDocument.Parse(line).RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        return root;
    }

    private static (int Code, string Out, string Err) TrainTwoEpochs(TempFolder dir) =>
        CliRunner.Run("train", "--limit", "64", "--epochs", "2", "--arch", "small-cnn", "--batch-size", "32", "--threads", "1",
            "--seed", "3", "--output", dir.File("model.zip"), "--json");

    [Fact]
    public void TrainWritesOneLinePerEpochToStandardErrorAndOnlyTheResultToStandardOutput()
    {
        using var dir = new TempFolder();
        var (code, output, error) = TrainTwoEpochs(dir);
        Assert.True(code == 0, error);
        Assert.Equal("train", SingleJsonObject(output).GetProperty("command").GetString());
        var lines = Lines(error);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("train: epoch 1/2, loss ", lines[0]);
        Assert.StartsWith("train: epoch 2/2, loss ", lines[1]);
        Assert.All(lines, l => Assert.Matches(@"images/s [\d.]+, ETA (\d|<1s)", l));
        Assert.Contains(", ETA 0s;", lines[1]); // nothing is left after the last epoch
    }

    [Fact]
    public void CorruptWritesOneLinePerCorruption()
    {
        using var dir = new TempFolder();
        var (code, output, error) = CliRunner.Run("corrupt", "--limit", "8", "--corruptions", "gaussian_noise,contrast", "--threads", "1",
            "--output", dir.File("c"), "--json");
        Assert.True(code == 0, error);
        Assert.Equal("corrupt", SingleJsonObject(output).GetProperty("command").GetString());
        var lines = Lines(error);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("corrupt: corruption 1/2 gaussian_noise, images/s ", lines[0]);
        Assert.StartsWith("corrupt: corruption 2/2 contrast, images/s ", lines[1]);
        Assert.All(lines, l => Assert.Contains(", ETA ", l));
        Assert.EndsWith("ETA 0s", lines[1]);
    }

    [Fact]
    public void EvaluateWritesOneLinePerScoredSet()
    {
        using var dir = new TempFolder();
        var (trained, _, trainError) = TrainTwoEpochs(dir);
        Assert.True(trained == 0, trainError);
        // The clean set, gaussian_noise at severities 1 and 2, one synthetic out-of-distribution set: 4 sets.
        var (code, output, error) = CliRunner.Run("evaluate", "--model", dir.File("model.zip"), "--limit", "16", "--generate-corruptions",
            "--corruptions", "gaussian_noise", "--severities", "1-2", "--ood", "gaussian", "--json");
        Assert.True(code == 0, error);
        Assert.Equal("evaluate", SingleJsonObject(output).GetProperty("command").GetString());
        var lines = Lines(error);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("evaluate: set 1/4 the clean test data, images/s ", lines[0]);
        Assert.StartsWith("evaluate: set 2/4 gaussian_noise severity 1, ", lines[1]);
        Assert.StartsWith("evaluate: set 3/4 gaussian_noise severity 2, ", lines[2]);
        Assert.StartsWith("evaluate: set 4/4 out-of-distribution set ", lines[3]);
        Assert.All(lines, l => Assert.Matches(@"images/s [\d.]+, ETA ", l));
    }

    [Fact]
    public void AnEstimateOverAnHourIsANoticeNamingTheCheaperFlags()
    {
        // The first estimate of a run: 10 s measured, 2 hours left.
        var estimate = new TrainingProgress(TrainingProgressKind.Estimate, 0, 100, 4, 39_100, 2.3, 0.1, 20, 0, 0.1, null)
            { ElapsedSeconds = 10, SecondsLeft = 7200 };
        using var stderr = new StringWriter();
        Progress.Run(stderr, display => TrainCommand.Show(display, estimate, TrainCommand.CheaperFlags("wrn", 100)));
        var notice = Assert.Single(Lines(stderr.ToString()));
        Assert.StartsWith("pixmix: This run is estimated to take about 2h 00m in all (over an hour", notice);
        Assert.Contains("--arch small-cnn (this run trains wrn) or fewer --epochs (now 100)", notice);

        // The same report estimating 50 minutes says nothing; a small CNN's notice names only --epochs.
        using var quiet = new StringWriter();
        Progress.Run(quiet, display => TrainCommand.Show(display, estimate with { SecondsLeft = 3000 }, TrainCommand.CheaperFlags("wrn", 100)));
        Assert.Equal("", quiet.ToString());
        Assert.DoesNotContain("--arch", TrainCommand.CheaperFlags("small-cnn", 100));
        Assert.Contains("fewer --epochs (now 100)", TrainCommand.CheaperFlags("small-cnn", 100));
    }

    [Fact]
    public void StepReportsMoveOnlyTheLiveViewAndWriteNoLines()
    {
        var step = new TrainingProgress(TrainingProgressKind.Step, 0, 2, 1, 4, 2.3, 0.1, 20, 0, 0.1, null) { SecondsLeft = 3 };
        using var stderr = new StringWriter();
        Progress.Run(stderr, display => TrainCommand.Show(display, step, TrainCommand.CheaperFlags("wrn", 2)));
        Assert.Equal("", stderr.ToString());
    }
}
