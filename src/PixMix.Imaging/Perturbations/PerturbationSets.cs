using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using PixMix.Imaging.Corruptions;
using PixMix.Imaging.Formats;
using PixMix.Imaging.Sources;

namespace PixMix.Imaging.Perturbations;

/// <summary>
/// Deterministic perturbation sequences of a data set, in the CIFAR-10-P layout (<see cref="Write"/>) or on the fly
/// (<see cref="PerturbedSequenceSource"/>). The sequence of image <c>i</c> under a perturbation at a level draws its
/// random numbers from <c>PixMixRandom.For(seed, 10000 + 10 kind + level, i)</c>, so both give the same bytes for any
/// number of threads.
/// </summary>
public static class PerturbationSets
{
    /// <summary>The random stream of the sequence of image <paramref name="imageIndex"/>.</summary>
    public static PixMixRandom RandomFor(long seed, PerturbationSpec spec, long imageIndex)
        => PixMixRandom.For(seed, 10_000L + 10L * (int)spec.Kind + spec.Level, imageIndex);

    /// <summary>Writes the frames of image <paramref name="imageIndex"/>'s sequence (see <see cref="Perturber.Generate"/>) with the stream of <see cref="RandomFor"/>.</summary>
    public static void Generate(PerturbationSpec spec, ImageU8 image, long imageIndex, long seed, Span<byte> frames)
    {
        var rng = RandomFor(seed, spec, imageIndex);
        Perturber.Generate(spec, image, frames, ref rng);
    }

    /// <summary>The files of <paramref name="kinds"/> at <paramref name="levels"/>: level 1 of every perturbation when listed, levels 2 and 3 of the noises.</summary>
    /// <exception cref="ArgumentException">No file results.</exception>
    public static IReadOnlyList<PerturbationSpec> Specs(IReadOnlyList<PerturbationKind> kinds, IReadOnlyList<int> levels)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(levels);
        var specs = new List<PerturbationSpec>();
        foreach (var kind in kinds)
            foreach (int level in levels)
                if (level == 1 || PerturbationNames.IsNoise(kind)) specs.Add(new PerturbationSpec(kind, level));
        if (specs.Count == 0)
            throw new ArgumentException($"Levels {string.Join(",", levels)} of {string.Join(", ", kinds.Select(PerturbationNames.ToName))} name no file: levels 2 and 3 exist for the noises only.", nameof(levels));
        return specs;
    }

    /// <summary>Throws unless the source can be perturbed: 1 or 3 channels, at least <see cref="Perturber.MinSize"/> px a side.</summary>
    public static void CheckSource(IImageSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Channels is not (1 or 3)) throw new ArgumentException($"source has {source.Channels} channels; 1 or 3 expected.", nameof(source));
        if (source.Width < Perturber.MinSize || source.Height < Perturber.MinSize)
            throw new ArgumentException($"Perturbation sequences need images of at least {Perturber.MinSize}x{Perturber.MinSize} px; the source's are {source.Width}x{source.Height}.", nameof(source));
    }

    /// <summary>
    /// Writes a CIFAR-10-P style folder: <c>&lt;name&gt;.npy</c> per file, uint8 of shape (N, frames, H, W, C), and
    /// <c>labels.npy</c> with the N labels when the source has them. Sequences are made in parallel a chunk at a time and
    /// streamed to the file (memory does not grow with N); each file is written under a temporary name and renamed when
    /// complete; the free disk space is checked first; the folder is locked and records the set, as corrupted sets do.
    /// Returns the paths written (labels first).
    /// </summary>
    public static IReadOnlyList<string> Write(IImageSource source, string folder, IReadOnlyList<PerturbationSpec> specs, long seed,
        CorruptedSetWriterOptions? options = null, IProgress<PerturbationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(specs);
        options ??= new CorruptedSetWriterOptions();
        if (source.Count < 1) throw new ArgumentException("source holds no images.", nameof(source));
        CheckSource(source);
        if (specs.Count == 0) throw new ArgumentException("No perturbation was named.", nameof(specs));
        foreach (var spec in specs) PerturbationNames.CheckLevel(spec.Kind, spec.Level);
        var duplicate = specs.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Perturbation '{duplicate.Key.Name}' is listed twice.", nameof(specs));

        var full = Path.GetFullPath(folder);
        Directory.CreateDirectory(full);
        string description = $"perturbations; seed={seed}{(options.SetDescription is { Length: > 0 } d ? "; " + d : "")}";
        using var setLock = CorruptedSetWriter.ClaimFolder(full, source, description);
        long n = source.Count;
        int imageBytes = checked(source.Width * source.Height * source.Channels);
        long totalBytes = specs.Sum(s => n * s.FrameCount * (long)imageBytes);
        FreeSpace.Require(full, totalBytes, $"The perturbation set ({specs.Count} file(s) x {n} sequences)");

        var written = new List<string>();
        if (source.HasLabels)
        {
            var labelsPath = Path.Combine(full, CifarCorruptedSet.LabelsFileName);
            CorruptedSetWriter.WriteLabels(source, labelsPath);
            written.Add(labelsPath);
        }
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        var images = new ConcurrentBag<ImageU8>();
        long total = n * specs.Count, done = 0;
        foreach (var spec in specs)
        {
            int sequenceBytes = checked(spec.FrameCount * imageBytes);
            int chunk = options.ChunkSize > 0 ? options.ChunkSize : Math.Clamp((16 << 20) / sequenceBytes, 1, 256);
            chunk = (int)Math.Min(chunk, n);
            var buffer = new byte[checked(chunk * sequenceBytes)];
            var path = Path.Combine(full, spec.Name + ".npy");
            long[] shape = [n, spec.FrameCount, source.Height, source.Width, source.Channels];
            using var writer = new NpyStreamWriter(path, NpyDType.UInt8, shape);
            for (long start = 0; start < n; start += chunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = (int)Math.Min(chunk, n - start);
                long first = start;
                try
                {
                    Parallel.For(0, count, parallel,
                        () => images.TryTake(out var image) ? image : new ImageU8(source.Width, source.Height, source.Channels),
                        (i, _, image) =>
                        {
                            source.ReadImage(first + i, image.Span);
                            Generate(spec, image, first + i, seed, buffer.AsSpan(i * sequenceBytes, sequenceBytes));
                            return image;
                        },
                        images.Add);
                }
                catch (AggregateException e) when (e.InnerExceptions.Count == 1)
                {
                    ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                }
                writer.Write<byte>(buffer.AsSpan(0, count * sequenceBytes));
                done += count;
                progress?.Report(new PerturbationProgress(spec.Name, done, total));
            }
            writer.Commit();
            written.Add(path);
        }
        return written;
    }

    /// <summary>
    /// Parses a list of perturbations: <c>benchmark</c> (the ten of the mean flip probability), <c>extra</c> (the four
    /// validation ones), <c>all</c> (14), or comma-separated names (<c>rotate,gaussian_noise</c>). Duplicates are an error.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a perturbation, or is given twice.</exception>
    public static IReadOnlyList<PerturbationKind> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text.Trim().ToLowerInvariant())
        {
            case "all": return PerturbationNames.All;
            case "benchmark": return PerturbationNames.Benchmark;
            case "extra": return PerturbationNames.Extra;
        }
        var kinds = new List<PerturbationKind>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var kind = PerturbationNames.Parse(part);
            if (kinds.Contains(kind)) throw new ArgumentException($"Perturbation '{part}' is listed twice.", nameof(text));
            kinds.Add(kind);
        }
        if (kinds.Count == 0) throw new ArgumentException($"'{text}' names no perturbation; expected benchmark, extra, all or names such as rotate,gaussian_noise.", nameof(text));
        return kinds;
    }

    /// <summary>Parses noise difficulty levels: <c>1</c>, <c>1-3</c> or <c>1,3</c>, each in 1..3; returns the sorted distinct levels.</summary>
    /// <exception cref="ArgumentException">The text is not such a list.</exception>
    public static IReadOnlyList<int> ParseLevels(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new SortedSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length is < 1 or > 2 || !int.TryParse(bounds[0], out int lo) || !int.TryParse(bounds[^1], out int hi)
                || lo < 1 || hi > PerturbationNames.MaxLevel || lo > hi)
                throw new ArgumentException($"Levels '{text}' are not a list of difficulty levels or ranges in 1..{PerturbationNames.MaxLevel} (for example 1 or 1-3).", nameof(text));
            for (int l = lo; l <= hi; l++) result.Add(l);
        }
        if (result.Count == 0) throw new ArgumentException($"Levels '{text}' name no level; expected for example 1 or 1-3.", nameof(text));
        return [.. result];
    }
}
