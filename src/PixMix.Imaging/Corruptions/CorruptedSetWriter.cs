using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using PixMix.Imaging.Core;
using PixMix.Imaging.Formats;
using PixMix.Imaging.Sources;

namespace PixMix.Imaging.Corruptions;

/// <summary>
/// Writes a CIFAR-10-C style folder from any <see cref="IImageSource"/>: for each corruption a file
/// <c>&lt;corruption&gt;.npy</c>, uint8 of shape (5N, H, W, C) with severities 1..5 in blocks of N, and
/// <c>labels.npy</c> with the 5N labels (uint8 when every label is below 256, as in CIFAR-10-C; int64 otherwise).
/// Images are corrupted in parallel a chunk at a time and streamed to the file, so memory use does not grow with N;
/// the output depends only on the source and the corruption function, not on the number of threads. Each file is
/// written under a temporary name and renamed when complete.
/// </summary>
public static class CorruptedSetWriter
{
    /// <summary>Writes the folder; returns the paths written (labels first when the source has labels).</summary>
    /// <param name="source">The clean images (and labels).</param>
    /// <param name="folder">Target folder, created if needed.</param>
    /// <param name="corruptions">Corruption names (file names without .npy), for example <see cref="CifarCorruptedSet.BenchmarkCorruptions"/>.</param>
    /// <param name="corrupt">Produces one corrupted image.</param>
    /// <param name="options">Chunk size, parallelism, resume.</param>
    /// <param name="progress">Receives progress after each chunk, or null.</param>
    /// <param name="cancellationToken">Stops between chunks; the file being written is discarded.</param>
    public static IReadOnlyList<string> Write(
        IImageSource source, string folder, IReadOnlyList<string> corruptions, CorruptFn corrupt,
        CorruptedSetWriterOptions? options = null, IProgress<CorruptedSetProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(corruptions);
        ArgumentNullException.ThrowIfNull(corrupt);
        options ??= new CorruptedSetWriterOptions();
        if (source.Count < 1) throw new ArgumentException("source holds no images.", nameof(source));
        if (source.Channels is not (1 or 3)) throw new ArgumentException($"source has {source.Channels} channels; 1 or 3 expected.", nameof(source));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in corruptions)
        {
            if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "labels" or "." or "..")
                throw new ArgumentException($"'{name}' cannot be a corruption file name.", nameof(corruptions));
            if (!seen.Add(name)) throw new ArgumentException($"corruption '{name}' is listed twice.", nameof(corruptions));
        }

        var full = Path.GetFullPath(folder);
        Directory.CreateDirectory(full);
        using var setLock = ClaimFolder(full, source, options.SetDescription);
        var written = new List<string>();
        long n = source.Count;
        int severities = CifarCorruptedSet.SeverityCount;
        if (source.HasLabels)
        {
            var labelsPath = Path.Combine(full, CifarCorruptedSet.LabelsFileName);
            WriteLabels(source, labelsPath, severities);
            written.Add(labelsPath);
        }

        int imageBytes = checked(source.Width * source.Height * source.Channels);
        int chunk = options.ChunkSize > 0 ? options.ChunkSize : (int)Math.Clamp((16 << 20) / imageBytes, 1, 256);
        chunk = (int)Math.Min(chunk, n);
        var buffer = new byte[checked(chunk * imageBytes)];
        var workers = new ConcurrentBag<(ImageU8 Source, ImageU8 Destination)>();
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        long total = n * severities * corruptions.Count, done = 0;
        FreeSpace.Require(full, total * imageBytes, $"The corrupted set ({corruptions.Count} corruption(s) x {severities} severities x {n} images)");
        long[] shape = [n * severities, source.Height, source.Width, source.Channels];

        foreach (var name in corruptions)
        {
            var path = Path.Combine(full, name + ".npy");
            if (options.SkipExisting && IsComplete(path, shape))
            {
                done += n * severities;
                progress?.Report(new CorruptedSetProgress(name, severities, done, total));
                written.Add(path);
                continue;
            }
            using var writer = new NpyStreamWriter(path, NpyDType.UInt8, shape);
            for (int severity = 1; severity <= severities; severity++)
            {
                for (long start = 0; start < n; start += chunk)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int count = (int)Math.Min(chunk, n - start);
                    CorruptChunk(source, name, severity, corrupt, start, count, buffer, imageBytes, workers, parallel);
                    writer.Write<byte>(buffer.AsSpan(0, count * imageBytes));
                    done += count;
                    progress?.Report(new CorruptedSetProgress(name, severity, done, total));
                }
            }
            writer.Commit();
            written.Add(path);
        }
        return written;
    }

    private static void CorruptChunk(
        IImageSource source, string name, int severity, CorruptFn corrupt, long start, int count, byte[] buffer, int imageBytes,
        ConcurrentBag<(ImageU8 Source, ImageU8 Destination)> workers, ParallelOptions parallel)
    {
        try
        {
            Parallel.For(0, count, parallel,
                () => workers.TryTake(out var w) ? w : (Source: new ImageU8(source.Width, source.Height, source.Channels), Destination: new ImageU8(source.Width, source.Height, source.Channels)),
                (i, _, w) =>
                {
                    long index = start + i;
                    source.ReadImage(index, w.Source.Span);
                    w.Destination.Span.Clear();
                    corrupt(name, severity, w.Source, w.Destination, index);
                    w.Destination.Span.CopyTo(buffer.AsSpan(i * imageBytes, imageBytes));
                    return w;
                },
                workers.Add);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>The hidden file recording which set a folder holds.</summary>
    public const string SetFileName = ".pixmix-set.json";
    /// <summary>The hidden file a run holds locked while it writes the folder.</summary>
    public const string LockFileName = ".pixmix-set.lock";

    /// <summary>
    /// Locks the folder for this run and checks that it holds nothing or files of the same set (same images, size and
    /// description); records the set when the folder is new.
    /// </summary>
    internal static FileStream ClaimFolder(string folder, IImageSource source, string? description)
    {
        FileStream lockFile;
        string lockPath = Path.Combine(folder, LockFileName);
        try { lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose); }
        catch (IOException e)
        {
            throw new InvalidInputDataException($"Folder '{folder}' is being written by another run (it holds {LockFileName} locked); wait for it or give another folder.", folder, e);
        }
        try
        {
            string identity = $"images={source.Count}; size={source.Width}x{source.Height}x{source.Channels}; labels={source.HasLabels}; {description ?? ""}".TrimEnd(' ', ';');
            string setPath = Path.Combine(folder, SetFileName);
            if (File.Exists(setPath))
            {
                string recorded = File.ReadAllText(setPath).Trim();
                if (recorded != identity)
                    throw new InvalidInputDataException(
                        $"Folder '{folder}' holds a set made with other settings ({recorded}); this run's are {identity}. Give a new folder, so that one folder never mixes two sets.", folder);
            }
            else
            {
                var existing = Directory.GetFiles(folder, "*.npy");
                if (existing.Length > 0)
                    throw new InvalidInputDataException(
                        $"Folder '{folder}' already holds {string.Join(", ", existing.Take(3).Select(Path.GetFileName))}{(existing.Length > 3 ? ", ..." : "")} of a set this run did not start; give a new or empty folder.", folder);
                AtomicFile.WriteAllText(setPath, identity + "\n");
            }
            return lockFile;
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    private static bool IsComplete(string path, long[] shape)
    {
        if (!File.Exists(path)) return false;
        try
        {
            using var file = NpyFile.Open(path);
            return file.DType == NpyDType.UInt8 && file.Shape.SequenceEqual(shape);
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes the source's labels, repeated <paramref name="repeats"/> times, as a 1-d .npy: uint8 when every label is
    /// below 256 (and there are at most 256 class names), int64 otherwise. Streams: labels are read twice, never stored.
    /// </summary>
    public static void WriteLabels(IImageSource source, string path, int repeats = 1)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        if (!source.HasLabels) throw new ArgumentException("source has no labels.", nameof(source));
        int max = 0;
        for (long i = 0; i < source.Count; i++)
        {
            int label = source.ReadLabel(i);
            if (label < 0) throw new InvalidDataException($"Label of image {i} is {label}; labels must be non-negative.");
            max = Math.Max(max, label);
        }
        bool small = max < 256 && (source.ClassNames?.Count ?? 0) <= 256;
        using var writer = new NpyStreamWriter(path, small ? NpyDType.UInt8 : NpyDType.Int64, [source.Count * repeats]);
        const int block = 4096;
        Span<byte> bytes = stackalloc byte[block];
        var longs = new long[block];
        for (int r = 0; r < repeats; r++)
        {
            for (long start = 0; start < source.Count; start += block)
            {
                int count = (int)Math.Min(block, source.Count - start);
                for (int i = 0; i < count; i++)
                {
                    int label = source.ReadLabel(start + i);
                    if (small) bytes[i] = (byte)label; else longs[i] = label;
                }
                if (small) writer.Write<byte>(bytes[..count]); else writer.Write<long>(longs.AsSpan(0, count));
            }
        }
        writer.Commit();
    }
}
