using System.IO.Compression;

namespace PixMix.Imaging;

/// <summary>
/// Writes files atomically: the content goes to a temporary file in the target's folder, which is renamed over the
/// target only when complete. A failure leaves the target as it was and removes the temporary file.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string temporary = TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            Commit(temporary, path);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    /// <summary>Writes UTF-8 text (no byte-order mark).</summary>
    public static void WriteAllText(string path, string text)
        => Write(path, s => { using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true); w.Write(text); });

    /// <summary>Writes bytes.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Writes a zip archive.</summary>
    public static void WriteZip(string path, Action<ZipArchive> write) =>
        Write(path, stream =>
        {
            using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            write(archive);
        });

    /// <summary>A unique temporary path beside <paramref name="path"/> (its folder is created).</summary>
    public static string TempPathFor(string path)
    {
        CheckDestination(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no parent folder.", nameof(path));
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..12] + ".tmp");
    }

    /// <summary>Moves a completed temporary file over <paramref name="path"/>.</summary>
    public static void Commit(string tempPath, string path)
    {
        CheckDestination(path);
        File.Move(tempPath, Path.GetFullPath(path), overwrite: true);
    }

    /// <summary>
    /// Refuses a destination that a rename would destroy rather than replace: anything but nothing or a regular file
    /// (a folder, device, FIFO, socket or symbolic link).
    /// </summary>
    /// <exception cref="Data.InvalidInputDataException">The destination is not a regular file.</exception>
    public static void CheckDestination(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var kind = FileKinds.Of(path);
        if (kind is not (FileKind.Missing or FileKind.Regular))
            throw new Data.InvalidInputDataException($"Output '{path}' is {FileKinds.Describe(kind)}; only a new path or a regular file is written.", path);
    }

    /// <summary>Deletes a temporary file if it exists, ignoring failures (error paths).</summary>
    public static void TryDelete(string tempPath)
    {
        try { if (File.Exists(tempPath)) File.Delete(tempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
