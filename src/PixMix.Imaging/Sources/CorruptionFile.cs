using PixMix.Imaging.Formats;

namespace PixMix.Imaging.Sources;

/// <summary>
/// One memory-mapped <c>&lt;corruption&gt;.npy</c> file of a CIFAR-C folder, split into its 5 severity blocks.
/// Disposing releases the mapping; the sources it returned become unusable.
/// </summary>
public sealed class CorruptionFile : IDisposable
{
    private readonly NpyFile _file;
    private readonly NpyImageSource[] _severities;

    internal CorruptionFile(string corruption, NpyFile file, int[]? labels, string labelsPath, IReadOnlyList<string>? classNames)
    {
        try
        {
            NpyImageSource.ImageShape(file);
            long total = file.Shape[0];
            if (file.Rank != 4)
                throw new InvalidDataException($"'{file.Path}' has shape {NpyHeader.ShapeRepr(file.Shape)}; a CIFAR-C corruption file is (5N, H, W, C).");
            if (total % CifarCorruptedSet.SeverityCount != 0)
                throw new InvalidDataException($"'{file.Path}' holds {total} images, not a multiple of the {CifarCorruptedSet.SeverityCount} severities.");
            long n = total / CifarCorruptedSet.SeverityCount;
            bool perImage = false;
            if (labels is not null)
            {
                if (labels.Length == total) perImage = true;
                else if (labels.Length != n)
                    throw new InvalidDataException($"'{file.Path}' holds {total} images ({CifarCorruptedSet.SeverityCount} severities of {n}) but '{labelsPath}' holds {labels.Length} labels; expected {total} or {n}.");
            }
            Corruption = corruption;
            ImagesPerSeverity = n;
            _file = file;
            _severities = new NpyImageSource[CifarCorruptedSet.SeverityCount];
            for (int s = 0; s < _severities.Length; s++)
                _severities[s] = new NpyImageSource(file, ownsImages: false, s * n, n, labels, perImage ? s * n : 0, classNames);
            AllSeverities = new NpyImageSource(file, ownsImages: false, 0, total, labels is null ? null : perImage ? labels : Repeat(labels, CifarCorruptedSet.SeverityCount), 0, classNames);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static int[] Repeat(int[] labels, int times)
    {
        var all = new int[labels.Length * times];
        for (int t = 0; t < times; t++) labels.CopyTo(all, t * labels.Length);
        return all;
    }

    /// <summary>The corruption's name.</summary>
    public string Corruption { get; }
    /// <summary>The file's full path.</summary>
    public string Path => _file.Path;
    /// <summary>N, the number of images per severity.</summary>
    public long ImagesPerSeverity { get; }
    /// <summary>All 5N images, severity 1 first.</summary>
    public NpyImageSource AllSeverities { get; }

    /// <summary>The N images of severity <paramref name="severity"/> (1..5).</summary>
    public NpyImageSource Severity(int severity)
    {
        if (severity is < 1 or > CifarCorruptedSet.SeverityCount)
            throw new ArgumentOutOfRangeException(nameof(severity), severity, $"Severity must be between 1 and {CifarCorruptedSet.SeverityCount}.");
        return _severities[severity - 1];
    }

    /// <summary>Releases the mapping.</summary>
    public void Dispose() => _file.Dispose();
}
