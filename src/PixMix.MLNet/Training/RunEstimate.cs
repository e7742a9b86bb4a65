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

/// <summary>
/// Counts the units of a run (corruptions written, sets scored) and the images they held, and words a progress line
/// as each ends: the images per second so far and the time left at that rate.
/// </summary>
internal sealed class UnitProgress
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly string _unit;

    /// <summary>A run of <paramref name="units"/> units holding <paramref name="totalImages"/> images in all.</summary>
    public UnitProgress(string unit, long units, long totalImages)
    {
        _unit = unit; Units = units; TotalImages = totalImages;
    }

    public long Units { get; }
    public long TotalImages { get; }
    public long Done { get; private set; }
    public long ImagesDone { get; private set; }

    /// <summary>The fraction of the images done, in [0, 1].</summary>
    public double Fraction => TotalImages <= 0 ? (Units <= 0 ? 1 : (double)Done / Units) : Math.Clamp((double)ImagesDone / TotalImages, 0, 1);

    /// <summary>Records images done within the current unit (for a live view) and words the line of the unit under way.</summary>
    public string Advance(string? name, long imagesDone)
    {
        ImagesDone = Math.Max(ImagesDone, imagesDone);
        return Line(Math.Min(Done + 1, Units), name);
    }

    /// <summary>Ends the current unit, which held <paramref name="images"/> images (or brings the count to a total), and words its line.</summary>
    public string Complete(string? name, long images, bool imagesAreTotal = false)
    {
        Done++;
        ImagesDone = imagesAreTotal ? Math.Max(ImagesDone, images) : ImagesDone + images;
        return Line(Done, name);
    }

    private string Line(long unit, string? name)
    {
        double seconds = _clock.Elapsed.TotalSeconds;
        double rate = seconds > 0 ? ImagesDone / seconds : 0;
        return RunEstimate.Line(_unit, unit, Units, name, rate, RunEstimate.SecondsLeft(seconds, ImagesDone, Math.Max(0, TotalImages - ImagesDone)));
    }
}
