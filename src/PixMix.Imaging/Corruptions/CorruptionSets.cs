using PixMix.Imaging.Sources;

namespace PixMix.Imaging.Corruptions;

/// <summary>
/// Deterministic corrupted copies of a data set, in the CIFAR-10-C layout (<see cref="Write"/>) or on the fly
/// (<see cref="CorruptedImageSource"/>). Image <c>i</c> under corruption <c>k</c> at severity <c>s</c> draws its random
/// numbers from <c>PixMixRandom.For(seed, s * 100 + (int)k, i)</c>, so both give the same bytes, for any number of threads.
/// </summary>
public static class CorruptionSets
{
    /// <summary>The random stream of image <paramref name="imageIndex"/> under <paramref name="kind"/> at <paramref name="severity"/>.</summary>
    public static PixMixRandom RandomFor(long seed, CorruptionKind kind, int severity, long imageIndex)
        => PixMixRandom.For(seed, severity * 100L + (int)kind, imageIndex);

    /// <summary>
    /// Corrupts <paramref name="source"/> into <paramref name="destination"/> with the stream of <see cref="RandomFor"/>;
    /// <paramref name="set"/> null picks the parameter table from the image size.
    /// </summary>
    public static void Apply(CorruptionKind kind, int severity, ImageU8 source, ImageU8 destination, long imageIndex, long seed, CorruptionParameterSet? set = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var rng = RandomFor(seed, kind, severity, imageIndex);
        Corruptor.Apply(kind, severity, source, destination, ref rng, set ?? CorruptionParameterSets.ForImage(source));
    }

    /// <summary>A <see cref="CorruptFn"/> for <see cref="CorruptedSetWriter"/> that applies <see cref="Apply"/>; corruption names are benchmark file names.</summary>
    public static CorruptFn CorruptFunction(long seed, CorruptionParameterSet? set = null)
        => (name, severity, source, destination, imageIndex) => Apply(CorruptionNames.Parse(name), severity, source, destination, imageIndex, seed, set);

    /// <summary>
    /// Writes <c>&lt;name&gt;.npy</c> (5N images, severities 1..5 in blocks of N) per corruption and <c>labels.npy</c> into
    /// <paramref name="folder"/>, each file atomically; returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> Write(IImageSource source, string folder, IReadOnlyList<CorruptionKind> kinds, long seed,
        CorruptionParameterSet? set = null, CorruptedSetWriterOptions? options = null, IProgress<CorruptedSetProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(kinds);
        if (kinds.Count == 0) throw new ArgumentException("No corruption was named.", nameof(kinds));
        options ??= new CorruptedSetWriterOptions();
        var described = new CorruptedSetWriterOptions
        {
            ChunkSize = options.ChunkSize, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, SkipExisting = options.SkipExisting,
            SetDescription = $"seed={seed}; parameters={set?.ToString() ?? "auto"}{(options.SetDescription is { Length: > 0 } d ? "; " + d : "")}",
        };
        return CorruptedSetWriter.Write(source, folder, kinds.Select(CorruptionNames.ToName).ToArray(), CorruptFunction(seed, set), described, progress, cancellationToken);
    }

    /// <summary>
    /// Parses a list of corruptions: <c>all</c> (19), <c>benchmark</c> (15), <c>extra</c> (4), or comma-separated names
    /// (<c>gaussian_noise,contrast</c>, see <see cref="CorruptionNames.Parse"/>). Duplicates are an error.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a corruption, or is given twice.</exception>
    public static IReadOnlyList<CorruptionKind> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text.Trim().ToLowerInvariant())
        {
            case "all": return CorruptionNames.All;
            case "benchmark": return CorruptionNames.Benchmark;
            case "extra": return CorruptionNames.Extra;
        }
        var kinds = new List<CorruptionKind>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var kind = CorruptionNames.Parse(part);
            if (kinds.Contains(kind)) throw new ArgumentException($"Corruption '{part}' is listed twice.", nameof(text));
            kinds.Add(kind);
        }
        if (kinds.Count == 0) throw new ArgumentException($"'{text}' names no corruption; expected all, benchmark, extra or names such as gaussian_noise,contrast.", nameof(text));
        return kinds;
    }

    /// <summary>Parses a severity range: <c>3</c>, <c>1-5</c> or <c>2,4</c>, each in 1..5; returns the sorted distinct severities.</summary>
    /// <exception cref="ArgumentException">The text is not such a list.</exception>
    public static IReadOnlyList<int> ParseSeverities(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new SortedSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length is < 1 or > 2 || !int.TryParse(bounds[0], out int lo) || !int.TryParse(bounds[^1], out int hi)
                || lo < Corruptor.MinSeverity || hi > Corruptor.MaxSeverity || lo > hi)
                throw new ArgumentException($"Severities '{text}' are not a list of severities or ranges in {Corruptor.MinSeverity}..{Corruptor.MaxSeverity} (for example 1-5 or 2,4).", nameof(text));
            for (int s = lo; s <= hi; s++) result.Add(s);
        }
        if (result.Count == 0) throw new ArgumentException($"Severities '{text}' name no severity; expected for example 1-5.", nameof(text));
        return [.. result];
    }
}
