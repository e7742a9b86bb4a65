using System.Globalization;
using System.Text;
using Spectre.Console;

namespace PixMix.Cli.Demo;

/// <summary>The demo's metrics over its runs, and their rendering as a text table and as Markdown.</summary>
public static class DemoSummary
{
    /// <summary>
    /// The metrics of the two arms, run by run: clean error and calibration, corruption error and calibration under
    /// corruption, mean flip probability on perturbation sequences, PGD error, mean AUROC and FPR at 95% TPR, and the AUROC of each out-of-distribution set. The two lists hold
    /// one report per run, in the same seed order.
    /// </summary>
    public static IReadOnlyList<DemoMetric> Create(IReadOnlyList<SafetyReport> baseline, IReadOnlyList<SafetyReport> pixMix)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(pixMix);
        if (baseline.Count == 0 || baseline.Count != pixMix.Count)
            throw new ArgumentException($"Expected the same positive number of runs in both arms, got {baseline.Count} and {pixMix.Count}.", nameof(pixMix));
        var metrics = new List<DemoMetric>();
        void Add(string name, bool higherIsBetter, Func<SafetyReport, double?> value)
        {
            var a = baseline.Select(value).ToArray();
            var b = pixMix.Select(value).ToArray();
            if (a.All(v => v is not null) && b.All(v => v is not null))
                metrics.Add(new DemoMetric(name, higherIsBetter, a.Select(v => v!.Value).ToArray(), b.Select(v => v!.Value).ToArray()));
        }
        Add("clean error", false, r => r.Clean.Error);
        Add("RMS calibration error, clean", false, r => r.Clean.RmsCalibrationError);
        Add("mean corruption error", false, r => r.Corruptions?.AverageError);
        Add("RMS calibration error, corruptions", false, r => r.Corruptions?.AverageRmsCalibrationError);
        Add("mean flip probability (Fashion-MNIST-P)", false, r => r.Consistency?.MeanFlipRate);
        Add("PGD error (L-inf 2/255, 20 steps)", false, r => r.Adversarial?.AdversarialError);
        Add("mean AUROC", true, r => r.AnomalyDetection?.MeanAuroc);
        Add("mean FPR at 95% TPR", false, r => r.AnomalyDetection?.MeanFprAtRecall);
        foreach (var set in baseline[0].AnomalyDetection?.Sets ?? [])
            Add($"AUROC {set.OodSet}", true, r => r.AnomalyDetection?.Sets.FirstOrDefault(s => s.OodSet == set.OodSet)?.Auroc);
        return metrics;
    }

    /// <summary>A Markdown table: one row per metric, mean ± std of each arm, the paired difference and whether it is beyond the noise.</summary>
    public static string ToMarkdown(IReadOnlyList<DemoMetric> metrics, string baselineName = "baseline", string pixMixName = "PixMix")
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var sb = new StringBuilder();
        sb.Append("| metric (%) | ").Append(baselineName).Append(" | ").Append(pixMixName).AppendLine(" | difference | beyond seed noise |");
        sb.AppendLine("|---|---:|---:|---:|---|");
        foreach (var m in metrics)
            sb.Append("| ").Append(m.Name).Append(" | ").Append(MeanStd(m.BaselineMean, m.BaselineStd)).Append(" | ")
              .Append(MeanStd(m.PixMixMean, m.PixMixStd)).Append(" | ").Append(MeanStd(m.DifferenceMean, m.DifferenceStd, signed: true))
              .Append(" | ").Append(Verdict(m)).AppendLine(" |");
        return sb.ToString();
    }

    /// <summary>The same table as plain text for the console (a Spectre.Console table, without colours or escape codes).</summary>
    public static string ToText(IReadOnlyList<DemoMetric> metrics, string baselineName = "baseline", string pixMixName = "PixMix")
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("metric (%)"))
            .AddColumn(new TableColumn(baselineName).RightAligned())
            .AddColumn(new TableColumn(pixMixName).RightAligned())
            .AddColumn(new TableColumn("difference").RightAligned())
            .AddColumn(new TableColumn("beyond seed noise"));
        foreach (var m in metrics)
            table.AddRow(new[] { m.Name, MeanStd(m.BaselineMean, m.BaselineStd), MeanStd(m.PixMixMean, m.PixMixStd),
                MeanStd(m.DifferenceMean, m.DifferenceStd, signed: true), Verdict(m) }.Select(Markup.Escape).ToArray());
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = 240;
        console.Profile.Capabilities.Unicode = true;
        console.Write(table);
        return text.ToString();
    }

    private static string Verdict(DemoMetric m) => m.BeyondNoise switch
    {
        null => "one run: unknown",
        true => m.PixMixBetter ? "yes, PixMix better" : "yes, PixMix worse",
        false => "no",
    };

    private static string MeanStd(double mean, double? std, bool signed = false)
    {
        string value = (mean * 100).ToString(signed ? "+0.00;-0.00;0.00" : "0.00", CultureInfo.InvariantCulture);
        return std is { } s ? $"{value} ± {(s * 100).ToString("0.00", CultureInfo.InvariantCulture)}" : value;
    }
}
