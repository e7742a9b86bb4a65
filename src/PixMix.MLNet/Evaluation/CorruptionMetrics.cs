namespace PixMix.MLNet.Evaluation;

/// <summary>
/// Summaries of a corruption benchmark's error table (error per corruption and severity): the CIFAR average
/// corruption error and ImageNet's (relative) mean corruption error normalized by a baseline network (AlexNet).
/// </summary>
public static class CorruptionMetrics
{
    /// <summary>
    /// The CIFAR-C measure: the plain mean of the error over every (corruption, severity) cell.
    /// </summary>
    /// <param name="errors">Per corruption, its error at each severity.</param>
    public static double AverageCorruptionError(IReadOnlyDictionary<string, IReadOnlyList<double>> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        double sum = 0; int cells = 0;
        foreach (var (name, perSeverity) in errors)
        {
            if (perSeverity is null || perSeverity.Count == 0) throw new ArgumentException($"Corruption '{name}' has no severity errors.", nameof(errors));
            foreach (var e in perSeverity) { CheckError(e, name); sum += e; cells++; }
        }
        if (cells == 0) throw new ArgumentException("The error table is empty.", nameof(errors));
        return sum / cells;
    }

    /// <summary>
    /// Corruption error of one corruption: the model's severity-averaged error divided by the baseline's, x100.
    /// </summary>
    public static double CorruptionError(IReadOnlyList<double> errorsBySeverity, double baselineError)
    {
        if (!(baselineError > 0)) throw new ArgumentOutOfRangeException(nameof(baselineError), baselineError, "The baseline error must be > 0.");
        return 100 * errorsBySeverity.Average() / baselineError;
    }

    /// <summary>
    /// ImageNet-C's mCE: for each corruption, the model's error averaged over severities divided by the baseline's
    /// average error, averaged over the corruptions, x100 (100 = as robust as AlexNet).
    /// </summary>
    /// <param name="errors">Per corruption, its error at each severity. Every name must be in <paramref name="baselineErrors"/>.</param>
    /// <param name="baselineErrors">The baseline's severity-averaged errors; null for <see cref="AlexNetBaseline.CorruptionErrors"/>.</param>
    /// <exception cref="ArgumentException">A corruption has no baseline error.</exception>
    public static double MeanCorruptionError(IReadOnlyDictionary<string, IReadOnlyList<double>> errors,
        IReadOnlyDictionary<string, double>? baselineErrors = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        baselineErrors ??= AlexNetBaseline.CorruptionErrors;
        if (errors.Count == 0) throw new ArgumentException("The error table is empty.", nameof(errors));
        double sum = 0;
        foreach (var (name, perSeverity) in errors)
        {
            double baseline = BaselineFor(name, baselineErrors);
            sum += MeanOf(perSeverity, name) / baseline;
        }
        return 100 * sum / errors.Count;
    }

    /// <summary>
    /// Relative mCE: for each corruption, (model's severity-averaged error - model's clean error) divided by
    /// (baseline's average error - baseline's clean error), averaged over corruptions, x100.
    /// </summary>
    /// <param name="errors">Per corruption, its error at each severity.</param>
    /// <param name="cleanError">The model's clean error.</param>
    /// <param name="baselineErrors">The baseline's severity-averaged errors; null for AlexNet's.</param>
    /// <param name="baselineCleanError">The baseline's clean error; null for <see cref="AlexNetBaseline.CleanError"/>.</param>
    public static double RelativeMeanCorruptionError(IReadOnlyDictionary<string, IReadOnlyList<double>> errors, double cleanError,
        IReadOnlyDictionary<string, double>? baselineErrors = null, double? baselineCleanError = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        CheckError(cleanError, "clean");
        baselineErrors ??= AlexNetBaseline.CorruptionErrors;
        double baseClean = baselineCleanError ?? AlexNetBaseline.CleanError;
        if (errors.Count == 0) throw new ArgumentException("The error table is empty.", nameof(errors));
        double sum = 0;
        foreach (var (name, perSeverity) in errors)
        {
            double denominator = BaselineFor(name, baselineErrors) - baseClean;
            if (!(denominator > 0))
                throw new ArgumentException($"The baseline's error on '{name}' does not exceed its clean error ({baseClean}); the relative CE is undefined.", nameof(baselineErrors));
            sum += (MeanOf(perSeverity, name) - cleanError) / denominator;
        }
        return 100 * sum / errors.Count;
    }

    private static double BaselineFor(string name, IReadOnlyDictionary<string, double> baselineErrors)
    {
        if (!baselineErrors.TryGetValue(name, out var baseline))
            throw new ArgumentException(
                $"No baseline (AlexNet) error for corruption '{name}'; the mCE is defined for: {string.Join(", ", baselineErrors.Keys)}. Leave it out of the mCE (it can still be reported).",
                nameof(baselineErrors));
        if (!(baseline > 0)) throw new ArgumentException($"The baseline error of '{name}' must be > 0, got {baseline}.", nameof(baselineErrors));
        return baseline;
    }

    private static double MeanOf(IReadOnlyList<double> perSeverity, string name)
    {
        if (perSeverity is null || perSeverity.Count == 0) throw new ArgumentException($"Corruption '{name}' has no severity errors.");
        double s = 0;
        foreach (var e in perSeverity) { CheckError(e, name); s += e; }
        return s / perSeverity.Count;
    }

    private static void CheckError(double e, string name)
    {
        if (!(e >= 0 && e <= 1)) throw new ArgumentOutOfRangeException(nameof(e), e, $"Error of '{name}' must be a rate in [0, 1].");
    }
}
