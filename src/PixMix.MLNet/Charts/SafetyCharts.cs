using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using PixMix.MLNet.Evaluation;

namespace PixMix.MLNet.Charts;

/// <summary>
/// Charts drawn from <see cref="SafetyReport"/>s (never from the data): the corruption error table as a heat map or
/// grouped bars, the reliability diagram, and a comparison of two reports. Save them with <see cref="ChartExporter"/>.
/// </summary>
public static class SafetyCharts
{
    /// <summary>A heat map of the error (percent) per corruption (rows) and severity (columns), each cell labelled.</summary>
    public static PlotModel CorruptionHeatMap(SafetyReport report, string? title = null)
    {
        var cr = RequireCorruptions(report);
        int rows = cr.Results.Count;
        int maxSeverity = cr.Results.SelectMany(r => r.Severities).Max(s => s.Severity);
        var data = new double[maxSeverity, rows];
        for (int i = 0; i < rows; i++)
            for (int s = 1; s <= maxSeverity; s++)
                data[s - 1, i] = 100 * (cr.Results[i].Severities.FirstOrDefault(x => x.Severity == s)?.Error ?? double.NaN);

        var model = NewModel(title ?? $"Corruption error (%){Suffix(report)}");
        var severityAxis = new CategoryAxis { Position = AxisPosition.Bottom, Title = "Severity", Key = "severity" };
        for (int s = 1; s <= maxSeverity; s++) severityAxis.Labels.Add(s.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var corruptionAxis = new CategoryAxis { Position = AxisPosition.Left, Key = "corruption", StartPosition = 1, EndPosition = 0 };
        foreach (var r in cr.Results) corruptionAxis.Labels.Add(r.Corruption);
        model.Axes.Add(severityAxis);
        model.Axes.Add(corruptionAxis);
        model.Axes.Add(new LinearColorAxis { Position = AxisPosition.Right, Palette = OxyPalettes.Hot(200).Reverse(), Title = "Error (%)", Minimum = 0, Maximum = 100 });
        model.Series.Add(new HeatMapSeries
        {
            X0 = 0, X1 = maxSeverity - 1, Y0 = 0, Y1 = rows - 1,
            XAxisKey = "severity", YAxisKey = "corruption",
            Data = data,
            Interpolate = false,
            RenderMethod = HeatMapRenderMethod.Rectangles,
            LabelFontSize = 0.14,
            LabelFormatString = "0.0",
        });
        return model;
    }

    /// <summary>Grouped horizontal bars: the error (percent) per corruption, one bar per severity.</summary>
    public static PlotModel CorruptionBars(SafetyReport report, string? title = null)
    {
        var cr = RequireCorruptions(report);
        int maxSeverity = cr.Results.SelectMany(r => r.Severities).Max(s => s.Severity);
        var model = NewModel(title ?? $"Corruption error by severity{Suffix(report)}");
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.RightTop, LegendPlacement = LegendPlacement.Outside, LegendTitle = "Severity" });
        var axis = new CategoryAxis { Position = AxisPosition.Left, StartPosition = 1, EndPosition = 0 };
        foreach (var r in cr.Results) axis.Labels.Add(r.Corruption);
        model.Axes.Add(axis);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "Error (%)", Minimum = 0, Maximum = 100, MajorGridlineStyle = LineStyle.Dot });
        var palette = OxyPalettes.Hot(maxSeverity + 3).Colors.Reverse().Skip(1).ToList();
        for (int s = 1; s <= maxSeverity; s++)
        {
            var series = new BarSeries { Title = s.ToString(System.Globalization.CultureInfo.InvariantCulture), FillColor = palette[s - 1], StrokeThickness = 0 };
            foreach (var r in cr.Results)
                series.Items.Add(new BarItem(100 * (r.Severities.FirstOrDefault(x => x.Severity == s)?.Error ?? 0)));
            model.Series.Add(series);
        }
        return model;
    }

    /// <summary>Horizontal bars: the flip probability (percent) per perturbation, level-1 files first, with the mean (mFP).</summary>
    public static PlotModel ConsistencyBars(SafetyReport report, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var cs = report.Consistency is { Perturbations.Count: > 0 } c ? c
            : throw new ArgumentException("The report has no consistency results (perturbation sequences).", nameof(report));
        var model = NewModel(title ?? $"Flip probability per perturbation, mean {100 * cs.MeanFlipRate:0.00}%{Suffix(report)}");
        var axis = new CategoryAxis { Position = AxisPosition.Left, StartPosition = 1, EndPosition = 0 };
        var rows = cs.Perturbations.OrderBy(p => p.Level).ToList();
        foreach (var r in rows) axis.Labels.Add(r.Perturbation);
        model.Axes.Add(axis);
        double max = Math.Max(1, rows.Max(r => 100 * r.FlipRate) * 1.15);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "Flip probability (%)", Minimum = 0, Maximum = max, MajorGridlineStyle = LineStyle.Dot });
        var series = new BarSeries { FillColor = OxyColor.FromRgb(70, 110, 170), StrokeThickness = 0, LabelFormatString = "{0:0.00}", LabelPlacement = LabelPlacement.Outside };
        foreach (var r in rows) series.Items.Add(new BarItem(100 * r.FlipRate));
        model.Series.Add(series);
        return model;
    }

    /// <summary>The reliability diagram of the clean test set: accuracy per confidence bin against the diagonal of perfect calibration.</summary>
    public static PlotModel ReliabilityDiagram(SafetyReport report, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Reliability.Count == 0) throw new ArgumentException("The report has no reliability diagram data.", nameof(report));
        var model = NewModel(title ?? $"Reliability diagram{Suffix(report)} (RMS {100 * report.Clean.RmsCalibrationError:0.0}%, ECE {100 * report.Clean.ExpectedCalibrationError:0.0}%)");
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.LeftTop });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "Confidence", Minimum = 0, Maximum = 1, MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "Accuracy", Minimum = 0, Maximum = 1, MajorGridlineStyle = LineStyle.Dot });
        var bars = new RectangleBarSeries { Title = "Accuracy", FillColor = OxyColor.FromRgb(66, 133, 244), StrokeColor = OxyColors.White, StrokeThickness = 1 };
        var gaps = new RectangleBarSeries { Title = "Gap to confidence", FillColor = OxyColor.FromArgb(110, 234, 67, 53), StrokeThickness = 0 };
        foreach (var b in report.Reliability.Where(b => b.Count > 0))
        {
            bars.Items.Add(new RectangleBarItem(b.Lower, 0, b.Upper, b.Accuracy));
            gaps.Items.Add(new RectangleBarItem(b.Lower, Math.Min(b.Accuracy, b.MeanConfidence), b.Upper, Math.Max(b.Accuracy, b.MeanConfidence)));
        }
        model.Series.Add(bars);
        model.Series.Add(gaps);
        var diagonal = new LineSeries { Title = "Perfect calibration", Color = OxyColors.Gray, LineStyle = LineStyle.Dash };
        diagonal.Points.Add(new DataPoint(0, 0));
        diagonal.Points.Add(new DataPoint(1, 1));
        model.Series.Add(diagonal);
        return model;
    }

    /// <summary>
    /// Two reports side by side as grouped horizontal bars (percent): clean error, average corruption error and each
    /// corruption's mean error, and, where present, the mean AUROC, mean flip rate and PGD error.
    /// </summary>
    public static PlotModel Comparison(SafetyReport baseline, SafetyReport candidate, string baselineName = "Baseline", string candidateName = "PixMix", string? title = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        var rows = new List<(string Name, double A, double B)> { ("clean error", baseline.Clean.Error, candidate.Clean.Error) };
        if (baseline.Corruptions is { } ca && candidate.Corruptions is { } cb)
        {
            rows.Add(("avg corruption error", ca.AverageError, cb.AverageError));
            foreach (var r in ca.Results)
                if (cb.Results.FirstOrDefault(x => x.Corruption == r.Corruption) is { } other)
                    rows.Add((r.Corruption, r.MeanError, other.MeanError));
        }
        if (baseline.AnomalyDetection is { } aa && candidate.AnomalyDetection is { } ab) rows.Add(("mean AUROC", aa.MeanAuroc, ab.MeanAuroc));
        if (baseline.Consistency is { } sa && candidate.Consistency is { } sb) rows.Add(("mean flip rate", sa.MeanFlipRate, sb.MeanFlipRate));
        if (baseline.Adversarial is { } pa && candidate.Adversarial is { } pb) rows.Add(("PGD error", pa.AdversarialError, pb.AdversarialError));

        var model = NewModel(title ?? $"{baselineName} vs {candidateName} (%)");
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.RightTop, LegendPlacement = LegendPlacement.Outside });
        var axis = new CategoryAxis { Position = AxisPosition.Left, StartPosition = 1, EndPosition = 0 };
        foreach (var r in rows) axis.Labels.Add(r.Name);
        model.Axes.Add(axis);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Minimum = 0, MaximumPadding = 0.05, MajorGridlineStyle = LineStyle.Dot });
        var a = new BarSeries { Title = baselineName, FillColor = OxyColor.FromRgb(150, 150, 150), StrokeThickness = 0 };
        var b = new BarSeries { Title = candidateName, FillColor = OxyColor.FromRgb(66, 133, 244), StrokeThickness = 0 };
        foreach (var r in rows) { a.Items.Add(new BarItem(100 * r.A)); b.Items.Add(new BarItem(100 * r.B)); }
        model.Series.Add(a);
        model.Series.Add(b);
        return model;
    }

    private static CorruptionReport RequireCorruptions(SafetyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Corruptions is not { Results.Count: > 0 } cr || !cr.Results.Any(r => r.Severities.Count > 0))
            throw new ArgumentException("The report has no corruption results to chart.", nameof(report));
        return cr;
    }

    private static PlotModel NewModel(string title) => new()
    {
        Title = title,
        TitleFontSize = 14,
        Background = OxyColors.White,
        PlotAreaBorderColor = OxyColors.Gray,
    };

    private static string Suffix(SafetyReport report)
        => report.Metadata.ModelName is { } m ? $" - {m}" : "";
}
