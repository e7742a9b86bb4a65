namespace PixMix.MLNet.Training;

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
