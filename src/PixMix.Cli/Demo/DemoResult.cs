namespace PixMix.Cli.Demo;

/// <summary>What the demo produced.</summary>
/// <param name="BaselineRuns">The baseline arm's report of each run, in seed order.</param>
/// <param name="PixMixRuns">The PixMix arm's report of each run, in seed order.</param>
/// <param name="Metrics">Each metric over the runs: mean, standard deviation, paired difference.</param>
/// <param name="SummaryText">The metrics as a console table.</param>
/// <param name="ReportJsonPath">report.json: the settings, every run's full reports and the metrics.</param>
/// <param name="ReportMarkdownPath">report.md: the settings, the metrics table and the first run's per-corruption comparison.</param>
/// <param name="ChartPaths">The PNG charts (drawn from the first run).</param>
/// <param name="Elapsed">Wall-clock time of the whole demo.</param>
public sealed record DemoResult(IReadOnlyList<SafetyReport> BaselineRuns, IReadOnlyList<SafetyReport> PixMixRuns, IReadOnlyList<DemoMetric> Metrics,
    string SummaryText, string ReportJsonPath, string ReportMarkdownPath, IReadOnlyList<string> ChartPaths, TimeSpan Elapsed)
{
    /// <summary>The first run's baseline report.</summary>
    public SafetyReport Baseline => BaselineRuns[0];
    /// <summary>The first run's PixMix report.</summary>
    public SafetyReport PixMix => PixMixRuns[0];
    /// <summary>The metric named <paramref name="name"/> (for example <c>clean error</c>).</summary>
    public DemoMetric Metric(string name) => Metrics.FirstOrDefault(m => m.Name == name)
        ?? throw new KeyNotFoundException($"The demo has no metric '{name}'; it has: {string.Join(", ", Metrics.Select(m => m.Name))}.");
}
