using System.Text.Json.Serialization;

namespace PixMix.Cli.Demo;

/// <summary>report.json of the demo: the settings, each metric over the runs, and every run's full reports.</summary>
internal sealed record DemoReportDocument(DemoSettings Settings, double Seconds, int ProcessorCount, IReadOnlyList<DemoReportDocument.MetricEntry> Metrics,
    IReadOnlyList<SafetyReport> BaselineRuns, IReadOnlyList<SafetyReport> PixMixRuns)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>A metric as stored: the per-run values and the derived statistics.</summary>
    internal sealed record MetricEntry(string Name, bool HigherIsBetter, IReadOnlyList<double> Baseline, IReadOnlyList<double> PixMix,
        double BaselineMean, double? BaselineStd, double PixMixMean, double? PixMixStd, double DifferenceMean, double? DifferenceStd, bool? BeyondNoise)
    {
        public static MetricEntry From(DemoMetric m) => new(m.Name, m.HigherIsBetter, m.Baseline, m.PixMix, m.BaselineMean, m.BaselineStd,
            m.PixMixMean, m.PixMixStd, m.DifferenceMean, m.DifferenceStd, m.BeyondNoise);
    }
}
