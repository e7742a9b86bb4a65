namespace PixMix.MLNet.Demo;

/// <summary>
/// One metric of the demo over its runs: the value of each run in each arm, their mean and sample standard deviation,
/// and the paired difference (PixMix minus baseline, run by run, the two arms of a run sharing their seed).
/// </summary>
/// <param name="Name">What is measured, for example <c>clean error</c>.</param>
/// <param name="HigherIsBetter">True for AUROC-like metrics, false for errors.</param>
/// <param name="Baseline">The baseline arm's value in each run (fractions, not percentages).</param>
/// <param name="PixMix">The PixMix arm's value in each run.</param>
public sealed record DemoMetric(string Name, bool HigherIsBetter, IReadOnlyList<double> Baseline, IReadOnlyList<double> PixMix)
{
    /// <summary>Mean of the baseline runs.</summary>
    public double BaselineMean => Baseline.Average();
    /// <summary>Sample standard deviation of the baseline runs (null with one run).</summary>
    public double? BaselineStd => StandardDeviation(Baseline);
    /// <summary>Mean of the PixMix runs.</summary>
    public double PixMixMean => PixMix.Average();
    /// <summary>Sample standard deviation of the PixMix runs (null with one run).</summary>
    public double? PixMixStd => StandardDeviation(PixMix);
    /// <summary>PixMix minus baseline, run by run.</summary>
    public IReadOnlyList<double> Differences => PixMix.Zip(Baseline, (p, b) => p - b).ToArray();
    /// <summary>Mean paired difference (PixMix minus baseline).</summary>
    public double DifferenceMean => Differences.Average();
    /// <summary>Sample standard deviation of the paired differences (null with one run).</summary>
    public double? DifferenceStd => StandardDeviation(Differences);

    /// <summary>
    /// Whether the difference is larger than the noise between seeds: at least two runs, every paired difference of
    /// the same sign, and the mean difference more than twice its standard error (std of the differences / sqrt(runs)).
    /// Null with one run, where the noise is unknown.
    /// </summary>
    public bool? BeyondNoise
    {
        get
        {
            var d = Differences;
            if (d.Count < 2) return null;
            bool sameSign = d.All(x => x > 0) || d.All(x => x < 0);
            double standardError = DifferenceStd!.Value / Math.Sqrt(d.Count);
            return sameSign && Math.Abs(DifferenceMean) > 2 * standardError;
        }
    }

    /// <summary>Whether PixMix's mean is better than the baseline's (by the metric's direction).</summary>
    public bool PixMixBetter => HigherIsBetter ? DifferenceMean > 0 : DifferenceMean < 0;

    internal static double? StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return null;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
