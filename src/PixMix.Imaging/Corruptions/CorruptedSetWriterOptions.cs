namespace PixMix.Imaging.Corruptions;

/// <summary>Options of <see cref="CorruptedSetWriter"/>.</summary>
public sealed class CorruptedSetWriterOptions
{
    /// <summary>Images corrupted in parallel and then appended to the file at once; 0 picks about 16 MB worth (at most 256).</summary>
    public int ChunkSize { get; init; }

    /// <summary>Threads used; 0 or less means all processors.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>Keep a corruption file that already exists with the expected dtype and shape instead of rewriting it (resume).</summary>
    public bool SkipExisting { get; init; }

    /// <summary>
    /// What makes this set what it is besides its images and corruption names (for example the seed and the parameter
    /// table), recorded in the folder: a later run into the folder must describe its set the same way, so that one
    /// folder never mixes files of two different runs.
    /// </summary>
    public string? SetDescription { get; init; }
}
