using System.Text;

namespace PixMix.MLNet.Evaluation;

/// <summary>
/// Renders <see cref="SafetyReport"/>s as Markdown tables, and compares two reports (for example a baseline and a
/// PixMix model) side by side as Markdown or as aligned plain text for a console. Rates are shown in percent.
/// </summary>
public static class SafetyReportMarkdown
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The whole report as Markdown: a summary table, then the corruption, anomaly detection, consistency and reliability tables present.</summary>
    public static string ToMarkdown(SafetyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        var md = report.Metadata;
        sb.Append("# Safety report");
        if (md.ModelName is not null) sb.Append(": ").Append(md.ModelName);
        if (md.DatasetName is not null) sb.Append(" on ").Append(md.DatasetName);
        sb.AppendLine().AppendLine();
        sb.AppendLine("| Metric | Value |").AppendLine("|---|---:|");
        foreach (var row in SummaryRows(report))
            sb.Append("| ").Append(row.Name).Append(" | ").Append(Format(row.Value, row.Percent)).AppendLine(" |");
        if (md.ClassMatchingNote is { } note) sb.AppendLine().AppendLine(note);
        if (md.BaselineModelName is { } baseline)
            sb.AppendLine().Append("mCE and mFR are relative to the baseline report of ").Append(baseline.Length > 0 ? $"'{baseline}'" : "an unnamed model").AppendLine(" (its errors and flip rates = 100).");

        if (report.Classes is { PerClass.Count: > 0 } classes)
        {
            sb.AppendLine().AppendLine("## Clean error per class (%)").AppendLine();
            sb.AppendLine("| Class | Examples | Error |").AppendLine("|---|---:|---:|");
            foreach (var c in classes.PerClass)
                sb.Append("| ").Append(c.Name.Replace("|", "\\|")).Append(" | ").Append(c.Examples.ToString(Inv)).Append(" | ").Append(Format(c.Error, true)).AppendLine(" |");
        }

        if (report.Corruptions is { } cr)
        {
            int maxSeverity = cr.Results.SelectMany(r => r.Severities).Select(s => s.Severity).DefaultIfEmpty(0).Max();
            sb.AppendLine().AppendLine("## Corruption error (%)").AppendLine();
            sb.Append("| Corruption |");
            for (int s = 1; s <= maxSeverity; s++) sb.Append(" s").Append(s).Append(" |");
            sb.Append(" Mean |");
            bool ce = cr.Results.Any(r => r.CorruptionError.HasValue);
            if (ce) sb.Append(" CE |");
            sb.AppendLine();
            sb.Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", maxSeverity + 1 + (ce ? 1 : 0)))).AppendLine();
            foreach (var r in cr.Results)
            {
                sb.Append("| ").Append(r.Corruption).Append(" |");
                for (int s = 1; s <= maxSeverity; s++)
                {
                    var cell = r.Severities.FirstOrDefault(x => x.Severity == s);
                    sb.Append(' ').Append(cell is null ? "" : Format(cell.Error, true)).Append(" |");
                }
                sb.Append(' ').Append(Format(r.MeanError, true)).Append(" |");
                if (ce) sb.Append(' ').Append(r.CorruptionError is { } v ? Format(v, false) : "").Append(" |");
                sb.AppendLine();
            }
            if (cr.ExcludedFromMce.Count > 0)
                sb.AppendLine().Append("Not in the mCE (no baseline error): ").AppendLine(string.Join(", ", cr.ExcludedFromMce));
        }

        if (report.AnomalyDetection is { } ad)
        {
            string fpr = $"FPR{(ad.RecallLevel * 100).ToString("0.#", Inv)}";
            sb.AppendLine().AppendLine("## Anomaly detection (%)").AppendLine();
            sb.Append("| OOD set | AUROC | AUPR | ").Append(fpr).AppendLine(" | mean confidence | most predicted class (share) |")
              .AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var s in ad.Sets)
                sb.Append("| ").Append(s.OodSet).Append(" | ").Append(Format(s.Auroc, true)).Append(" | ").Append(Format(s.Aupr, true))
                  .Append(" | ").Append(Format(s.FprAtRecall, true)).Append(" | ").Append(Format(s.MeanConfidence, true))
                  .Append(" | ").Append(s.MostPredictedClass.ToString(Inv)).Append(" (").Append(Format(s.MostPredictedShare, true)).AppendLine(") |");
            sb.Append("| **mean** | ").Append(Format(ad.MeanAuroc, true)).Append(" | ").Append(Format(ad.MeanAupr, true))
              .Append(" | ").Append(Format(ad.MeanFprAtRecall, true)).Append(" | ").Append(Format(report.Clean.MeanConfidence, true)).AppendLine(" (clean) | |");
        }

        if (report.Consistency is { } cs)
        {
            sb.AppendLine().AppendLine("## Consistency (%)").AppendLine();
            bool fr = cs.Perturbations.Any(p => p.NormalizedFlipRate.HasValue);
            sb.Append("| Perturbation | Sequences | Frames | Flip probability | Top-5 distance | Zipf distance |").AppendLine(fr ? " FR (baseline = 100) |" : "")
              .Append("|---|---:|---:|---:|---:|---:|").AppendLine(fr ? "---:|" : "");
            foreach (var p in cs.Perturbations)
                sb.Append("| ").Append(p.Perturbation).Append(p.Level > 1 ? " (not averaged)" : "").Append(" | ").Append(p.Sequences.ToString(Inv)).Append(" | ")
                  .Append(p.FramesPerSequence.ToString(Inv)).Append(" | ").Append(Format(p.FlipRate, true)).Append(" | ")
                  .Append(p.Top5Distance is { } t ? t.ToString("0.000", Inv) : "-").Append(" | ").Append(p.ZipfDistance is { } z ? z.ToString("0.0000", Inv) : "-").Append(" |")
                  .AppendLine(fr ? $" {(p.NormalizedFlipRate is { } n ? Format(n, false) : "-")} |" : "");
            sb.Append("| **mean (mFP)** | | | ").Append(Format(cs.MeanFlipRate, true)).Append(" | ")
              .Append(cs.MeanTop5Distance is { } mt ? mt.ToString("0.000", Inv) : "-").Append(" | ").Append(cs.MeanZipfDistance is { } mz ? mz.ToString("0.0000", Inv) : "-").Append(" |")
              .AppendLine(fr ? $" {(cs.NormalizedMeanFlipRate is { } nm ? Format(nm, false) : "-")} |" : "");
        }

        if (report.NotEvaluated is { Count: > 0 } missing)
        {
            sb.AppendLine().AppendLine("## Not evaluated").AppendLine();
            foreach (var m in missing) sb.Append("- ").Append(m.Measure).Append(": ").AppendLine(m.Reason);
        }

        if (report.Reliability.Count > 0)
        {
            sb.AppendLine().AppendLine("## Reliability (clean)").AppendLine();
            sb.AppendLine("| Confidence | Count | Mean confidence (%) | Accuracy (%) |").AppendLine("|---|---:|---:|---:|");
            foreach (var b in report.Reliability.Where(b => b.Count > 0))
                sb.Append("| ").Append(b.Lower.ToString("0.00", Inv)).Append("-").Append(b.Upper.ToString("0.00", Inv)).Append(" | ")
                  .Append(b.Count.ToString(Inv)).Append(" | ").Append(Format(b.MeanConfidence, true)).Append(" | ").Append(Format(b.Accuracy, true)).AppendLine(" |");
        }
        return sb.ToString();
    }

    /// <summary>Writes <see cref="ToMarkdown"/> of the report to <paramref name="path"/> atomically (UTF-8).</summary>
    public static void Save(SafetyReport report, string path)
    {
        string text = ToMarkdown(report);
        AtomicFile.Write(path, stream => { using var w = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true); w.Write(text); });
    }

    /// <summary>A Markdown table comparing two reports metric by metric, with the difference (candidate - baseline).</summary>
    public static string ToComparisonMarkdown(SafetyReport baseline, SafetyReport candidate, string baselineName = "Baseline", string candidateName = "PixMix")
    {
        var rows = ComparisonRows(baseline, candidate);
        var sb = new StringBuilder();
        sb.Append("| Metric | ").Append(baselineName).Append(" | ").Append(candidateName).AppendLine(" | Change |");
        sb.AppendLine("|---|---:|---:|---:|");
        foreach (var r in rows)
            sb.Append("| ").Append(r.Name).Append(" | ").Append(Format(r.A, r.Percent)).Append(" | ").Append(Format(r.B, r.Percent))
              .Append(" | ").Append(Change(r)).AppendLine(" |");
        return sb.ToString();
    }

    /// <summary>The comparison as aligned plain-text columns for a console.</summary>
    public static string ToComparisonText(SafetyReport baseline, SafetyReport candidate, string baselineName = "Baseline", string candidateName = "PixMix")
    {
        var rows = ComparisonRows(baseline, candidate);
        var table = new List<string[]> { new[] { "Metric", baselineName, candidateName, "Change" } };
        table.AddRange(rows.Select(r => new[] { r.Name, Format(r.A, r.Percent), Format(r.B, r.Percent), Change(r) }));
        int[] widths = Enumerable.Range(0, 4).Select(c => table.Max(t => t[c].Length)).ToArray();
        var sb = new StringBuilder();
        for (int i = 0; i < table.Count; i++)
        {
            var t = table[i];
            sb.Append(t[0].PadRight(widths[0]));
            for (int c = 1; c < 4; c++) sb.Append("  ").Append(t[c].PadLeft(widths[c]));
            sb.AppendLine();
            if (i == 0) sb.AppendLine(new string('-', widths.Sum() + 6));
        }
        return sb.ToString();
    }

    private sealed record Row(string Name, double? Value, bool Percent);
    private sealed record CompareRow(string Name, double? A, double? B, bool Percent, bool HigherIsBetter);

    private static List<Row> SummaryRows(SafetyReport r)
    {
        var rows = new List<Row>
        {
            new("Clean error (%)", r.Clean.Error, true),
            new("RMS calibration error (%)", r.Clean.RmsCalibrationError, true),
            new("ECE (%)", r.Clean.ExpectedCalibrationError, true),
        };
        if (r.Corruptions is { } c)
        {
            rows.Add(new("Average corruption error (%)", c.AverageError, true));
            rows.Add(new("Corruption RMS calibration error (%)", c.AverageRmsCalibrationError, true));
            if (c.Mce.HasValue) rows.Add(new("mCE", c.Mce, false));
            if (c.RelativeMce.HasValue) rows.Add(new("Relative mCE", c.RelativeMce, false));
        }
        if (r.AnomalyDetection is { } a)
        {
            rows.Add(new("Mean AUROC (%)", a.MeanAuroc, true));
            rows.Add(new("Mean AUPR (%)", a.MeanAupr, true));
            rows.Add(new($"Mean FPR{(a.RecallLevel * 100).ToString("0.#", Inv)} (%)", a.MeanFprAtRecall, true));
        }
        if (r.Consistency is { } s)
        {
            rows.Add(new("Mean flip rate (%)", s.MeanFlipRate, true));
            if (s.NormalizedMeanFlipRate.HasValue) rows.Add(new("mFR (normalized)", s.NormalizedMeanFlipRate, false));
        }
        if (r.Adversarial is { } adv) rows.Add(new("PGD error (%)", adv.AdversarialError, true));
        return rows;
    }

    private static List<CompareRow> ComparisonRows(SafetyReport a, SafetyReport b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var rows = new List<CompareRow>
        {
            new("Clean error (%)", a.Clean.Error, b.Clean.Error, true, false),
            new("RMS calibration error (%)", a.Clean.RmsCalibrationError, b.Clean.RmsCalibrationError, true, false),
            new("ECE (%)", a.Clean.ExpectedCalibrationError, b.Clean.ExpectedCalibrationError, true, false),
        };
        if (a.Corruptions is not null || b.Corruptions is not null)
        {
            rows.Add(new("Average corruption error (%)", a.Corruptions?.AverageError, b.Corruptions?.AverageError, true, false));
            rows.Add(new("Corruption RMS calibration error (%)", a.Corruptions?.AverageRmsCalibrationError, b.Corruptions?.AverageRmsCalibrationError, true, false));
            if (a.Corruptions?.Mce is not null || b.Corruptions?.Mce is not null)
                rows.Add(new("mCE", a.Corruptions?.Mce, b.Corruptions?.Mce, false, false));
            if (a.Corruptions?.RelativeMce is not null || b.Corruptions?.RelativeMce is not null)
                rows.Add(new("Relative mCE", a.Corruptions?.RelativeMce, b.Corruptions?.RelativeMce, false, false));
            rows.AddRange(PerName(a.Corruptions?.Results, b.Corruptions?.Results, x => x.Corruption, x => x.MeanError, "error (%)", higherIsBetter: false));
        }
        if (a.AnomalyDetection is not null || b.AnomalyDetection is not null)
        {
            rows.Add(new("Mean AUROC (%)", a.AnomalyDetection?.MeanAuroc, b.AnomalyDetection?.MeanAuroc, true, true));
            rows.Add(new("Mean AUPR (%)", a.AnomalyDetection?.MeanAupr, b.AnomalyDetection?.MeanAupr, true, true));
            rows.Add(new("Mean FPR (%)", a.AnomalyDetection?.MeanFprAtRecall, b.AnomalyDetection?.MeanFprAtRecall, true, false));
            rows.AddRange(PerName(a.AnomalyDetection?.Sets, b.AnomalyDetection?.Sets, x => x.OodSet, x => x.Auroc, "AUROC (%)", higherIsBetter: true));
        }
        if (a.Consistency is not null || b.Consistency is not null)
            rows.Add(new("Mean flip rate (%)", a.Consistency?.MeanFlipRate, b.Consistency?.MeanFlipRate, true, false));
        if (a.Adversarial is not null || b.Adversarial is not null)
            rows.Add(new("PGD error (%)", a.Adversarial?.AdversarialError, b.Adversarial?.AdversarialError, true, false));
        return rows;
    }

    /// <summary>
    /// A percent row per name found in either list (the first list's order, then the second's new names), labelled
    /// "  name <paramref name="what"/>", with each list's value for that name (none where a list lacks it).
    /// </summary>
    private static IEnumerable<CompareRow> PerName<T>(IEnumerable<T>? a, IEnumerable<T>? b, Func<T, string> name, Func<T, double> value,
        string what, bool higherIsBetter) where T : class
    {
        double? ValueOf(IEnumerable<T>? items, string n) => items?.FirstOrDefault(x => name(x) == n) is { } item ? value(item) : null;
        return (a ?? []).Concat(b ?? []).Select(name).Distinct(StringComparer.Ordinal)
            .Select(n => new CompareRow($"  {n} {what}", ValueOf(a, n), ValueOf(b, n), true, higherIsBetter));
    }

    private static string Change(CompareRow r)
    {
        if (r.A is not { } a || r.B is not { } b) return "";
        double d = (b - a) * (r.Percent ? 100 : 1);
        string s = d.ToString("+0.00;-0.00;0.00", Inv);
        bool better = r.HigherIsBetter ? d > 0 : d < 0;
        return d == 0 ? s : s + (better ? " (better)" : " (worse)");
    }

    private static string Format(double? v, bool percent)
    {
        if (v is not { } x) return "-";
        if (double.IsNaN(x)) return "NaN";
        return (percent ? 100 * x : x).ToString("0.00", Inv);
    }
}
