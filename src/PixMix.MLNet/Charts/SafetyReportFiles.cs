using PixMix.MLNet.Evaluation;

namespace PixMix.MLNet.Charts;

/// <summary>A <see cref="SafetyReport"/> as the files people read: report.json, report.md and the PNG charts.</summary>
public static class SafetyReportFiles
{
    /// <summary>The JSON report's file name.</summary>
    public const string JsonFileName = "report.json";
    /// <summary>The Markdown report's file name.</summary>
    public const string MarkdownFileName = "report.md";

    /// <summary>
    /// Writes report.json, report.md, reliability.png and, with corruptions, corruption-heatmap.png and corruption-bars.png,
    /// with perturbation sequences consistency-bars.png
    /// into <paramref name="folder"/> (created if missing), each file atomically; returns their paths.
    /// </summary>
    public static IReadOnlyList<string> Write(SafetyReport report, string folder)
    {
        ArgumentNullException.ThrowIfNull(report);
        var full = Path.GetFullPath(folder);
        if (File.Exists(full)) throw new ArgumentException($"The report folder '{full}' is a file.", nameof(folder));
        Directory.CreateDirectory(full);
        var files = new List<string>();
        string Add(string name) { var p = Path.Combine(full, name); files.Add(p); return p; }
        SafetyReportJson.Save(report, Add(JsonFileName));
        SafetyReportMarkdown.Save(report, Add(MarkdownFileName));
        ChartExporter.SavePng(SafetyCharts.ReliabilityDiagram(report), Add("reliability.png"));
        if (report.Corruptions is { Results.Count: > 0 })
        {
            ChartExporter.SavePng(SafetyCharts.CorruptionHeatMap(report), Add("corruption-heatmap.png"));
            ChartExporter.SavePng(SafetyCharts.CorruptionBars(report), Add("corruption-bars.png"));
        }
        if (report.Consistency is { Perturbations.Count: > 0 })
            ChartExporter.SavePng(SafetyCharts.ConsistencyBars(report), Add("consistency-bars.png"));
        return files;
    }
}
