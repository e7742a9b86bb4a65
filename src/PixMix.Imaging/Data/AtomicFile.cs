namespace PixMix.Imaging.Data;

/// <summary>Writes a file under a temporary name in the target folder and renames it into place when complete.</summary>
internal static class AtomicFile
{
    /// <summary>A unique temporary path beside <paramref name="path"/>.</summary>
    public static string TempPathFor(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no parent folder.", nameof(path));
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..12] + ".tmp");
    }

    /// <summary>Moves the completed temporary file over <paramref name="path"/>.</summary>
    public static void Commit(string tempPath, string path) => File.Move(tempPath, Path.GetFullPath(path), overwrite: true);

    /// <summary>Deletes a temporary file, ignoring failures (used on error paths).</summary>
    public static void TryDelete(string tempPath)
    {
        try { File.Delete(tempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
