using PixMix.Imaging.Core;

namespace PixMix.Imaging.Fractals;

/// <summary>
/// Writes N procedural fractals as <c>fractal_000000.png</c> ... into a folder, as one set: the pictures are rendered into
/// a temporary folder beside the target and moved into place only when all are written, so the target never holds a
/// partial set or a mix of two runs.
/// </summary>
public static class FractalSetWriter
{
    /// <summary>The file name of picture <paramref name="index"/>.</summary>
    public static string FileName(int index) => $"fractal_{index:D6}.png";

    /// <summary>Renders and writes the set; returns the folder's full path.</summary>
    /// <param name="folder">A new or empty folder.</param>
    /// <param name="count">Number of pictures.</param>
    /// <param name="size">Side in pixels.</param>
    /// <param name="seed">Seed of <see cref="FractalGenerator.Render"/>.</param>
    /// <param name="tick">Called with the number done after each picture (from worker threads), or null.</param>
    /// <exception cref="InvalidInputDataException">The folder holds files already, or is not a folder.</exception>
    public static string Write(string folder, int count, int size, long seed, Action<int>? tick = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        CheckTarget(full);
        string parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{folder}' has no parent folder.", nameof(folder));
        Directory.CreateDirectory(parent);
        string staging = AtomicFile.TemporarySibling(full);
        Directory.CreateDirectory(staging);
        try
        {
            int done = 0;
            Parallel.For(0, count, () => new ImageU8(size, size, 3), (i, _, image) =>
            {
                FractalGenerator.Render(seed, i, image);
                ImageCodec.WritePng(image, Path.Combine(staging, FileName(i)));
                tick?.Invoke(Interlocked.Increment(ref done));
                return image;
            }, _ => { });
            CheckTarget(full);
            if (Directory.Exists(full))
            {
                foreach (var file in Directory.GetFiles(staging)) File.Move(file, Path.Combine(full, Path.GetFileName(file)));
                Directory.Delete(staging);
            }
            else Directory.Move(staging, full);
            return full;
        }
        finally
        {
            if (Directory.Exists(staging)) { try { Directory.Delete(staging, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { } }
        }
    }

    private static void CheckTarget(string full)
    {
        var kind = FileKinds.Of(full);
        if (kind == FileKind.SymbolicLink && Directory.Exists(full)) kind = FileKind.Directory;
        if (kind == FileKind.Missing) return;
        if (kind != FileKind.Directory) throw new InvalidInputDataException($"'{full}' is {FileKinds.Describe(kind)}; expected a new or empty folder for the fractals.", full);
        if (Directory.EnumerateFileSystemEntries(full).Any())
            throw new InvalidInputDataException($"Folder '{full}' is not empty; the fractals are written as one set into a new or empty folder, never mixed with other files.", full);
    }
}
