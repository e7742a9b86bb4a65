namespace PixMix.MLNet.Training;

/// <summary>
/// Remaining-time estimates of long runs and their wording: the measured time per unit of work (a step, an image, a
/// set) times the units left. Pure functions of the numbers given, so the wording and the over-an-hour decision are
/// tested without timing anything.
/// </summary>
internal static class RunEstimate
{
    /// <summary>A run estimated at more than this many seconds in all says so once, naming a cheaper option.</summary>
    public const double LongRunSeconds = 3600;

    /// <summary>Steps a training run measures (after its first, which pays one-time costs) before it estimates its length.</summary>
    public const int StepsBeforeEstimate = 3;

    /// <summary>
    /// <paramref name="measuredSeconds"/> / <paramref name="measuredUnits"/> x <paramref name="unitsLeft"/>; null when
    /// nothing was measured yet or a value is not a finite non-negative number.
    /// </summary>
    public static double? SecondsLeft(double measuredSeconds, double measuredUnits, double unitsLeft)
    {
        if (!(measuredUnits > 0) || !(measuredSeconds >= 0) || !(unitsLeft >= 0)) return null;
        if (!double.IsFinite(measuredSeconds) || !double.IsFinite(measuredUnits) || !double.IsFinite(unitsLeft)) return null;
        return measuredSeconds / measuredUnits * unitsLeft;
    }

    /// <summary>Whether a run estimated at <paramref name="estimatedTotalSeconds"/> in all is long enough to say so.</summary>
    public static bool IsLong(double? estimatedTotalSeconds) => estimatedTotalSeconds is double s && s > LongRunSeconds;

    /// <summary>A duration for people: "45s", "12m 05s", "3h 20m", "4d 02h"; "unknown" for null or not finite.</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not double value || !double.IsFinite(value) || value < 0) return "unknown";
        long s = (long)Math.Round(value);
        if (s == 0 && value > 0) return "<1s";
        if (s < 60) return string.Create(CultureInfo.InvariantCulture, $"{s}s");
        if (s < 3600) return string.Create(CultureInfo.InvariantCulture, $"{s / 60}m {s % 60:00}s");
        long m = (long)Math.Round(value / 60);
        if (m < 48 * 60) return string.Create(CultureInfo.InvariantCulture, $"{m / 60}h {m % 60:00}m");
        long h = (long)Math.Round(value / 3600);
        return string.Create(CultureInfo.InvariantCulture, $"{h / 24}d {h % 24:00}h");
    }

    /// <summary>Images per second with three significant digits or whole numbers, invariant culture.</summary>
    public static string Rate(double imagesPerSecond) =>
        !double.IsFinite(imagesPerSecond) || imagesPerSecond < 0 ? "unknown"
        : imagesPerSecond >= 100 ? imagesPerSecond.ToString("F0", CultureInfo.InvariantCulture)
        : imagesPerSecond.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>One progress line: "corruption 3/15 contrast, images/s 812, ETA 1m 05s".</summary>
    public static string Line(string unit, long done, long total, string? name, double imagesPerSecond, double? secondsLeft) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{unit} {done}/{total}{(string.IsNullOrEmpty(name) ? "" : " " + name)}, images/s {Rate(imagesPerSecond)}, ETA {Duration(secondsLeft)}");

    /// <summary>
    /// The notice a run estimated at <paramref name="estimatedTotalSeconds"/> in all gives once when that is over an hour,
    /// naming <paramref name="cheaper"/> (the cheaper option, in the words of the caller: an option name or a flag);
    /// null when the run is shorter or not estimated.
    /// </summary>
    public static string? LongRunNotice(double? estimatedTotalSeconds, string cheaper) =>
        IsLong(estimatedTotalSeconds)
            ? $"This run is estimated to take about {Duration(estimatedTotalSeconds)} in all (over an hour, measured over its first steps); {cheaper}."
            : null;
}
