using MathNet.Numerics.Distributions;

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

    /// <summary>
    /// The two-sided 5% critical value of Student's t with <paramref name="degreesOfFreedom"/> degrees of freedom:
    /// its 0.975 quantile.
    /// </summary>
    public static double CriticalT(int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        return StudentT.InvCDF(location: 0, scale: 1, freedom: degreesOfFreedom, p: 0.975);
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
