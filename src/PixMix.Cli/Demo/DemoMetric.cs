namespace PixMix.Cli.Demo;

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
    /// Whether the difference is larger than the noise between seeds: a two-sided paired t-test at the 5% level, that is
    /// the mean difference is more than <see cref="CriticalT"/> standard errors (std of the differences / sqrt(runs))
    /// away from zero. With two runs that takes 12.7 standard errors, with five 2.8: few seeds can only show large,
    /// consistent differences. Null with one run, where the noise is unknown.
    /// </summary>
    public bool? BeyondNoise
    {
        get
        {
            var d = Differences;
            if (d.Count < 2) return null;
            double standardError = DifferenceStd!.Value / Math.Sqrt(d.Count);
            return Math.Abs(DifferenceMean) > CriticalT(d.Count - 1) * standardError;
        }
    }

    // Two-sided 5% quantiles of Student's t, t(0.975, df), for df = 1..30.
    private static readonly double[] StudentT975 =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>
    /// The two-sided 5% critical value of Student's t with <paramref name="degreesOfFreedom"/> degrees of freedom
    /// (tabulated to 30; beyond, the normal quantile with its first Cornish-Fisher correction, within 0.003).
    /// </summary>
    public static double CriticalT(int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (degreesOfFreedom <= StudentT975.Length) return StudentT975[degreesOfFreedom - 1];
        const double z = 1.959964;
        return z + (z * z * z + z) / (4.0 * degreesOfFreedom);
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
