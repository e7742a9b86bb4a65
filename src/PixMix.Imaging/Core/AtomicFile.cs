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
        using var temporary = CreateTemporary(path);
        write(temporary.Stream);
        temporary.Commit();
    }

    /// <summary>
    /// Creates the locked temporary file of <paramref name="path"/> (see <see cref="TempPathFor"/>); write to its
    /// <see cref="Temporary.Stream"/>, then <see cref="Temporary.Commit"/>. Disposing without committing deletes it.
    /// </summary>
    public static Temporary CreateTemporary(string path)
    {
        string temporary = TempPathFor(path);
        // FileShare.None is the lock (an exclusive flock on Unix) that tells a live run's file from a killed one's; the
        // file stays open, so locked, until it has been renamed into place. Delete sharing lets Windows rename it open.
        // Read access too, for writers that read back what they wrote (a zip's whole-file seal).
        var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Delete, 1 << 16);
        return new Temporary(stream, temporary, Path.GetFullPath(path));
    }

    /// <summary>A temporary file being written, locked while it is open.</summary>
    public sealed class Temporary : IDisposable
    {
        private readonly string _target;
        private bool _committed;

        internal Temporary(FileStream stream, string path, string target) { Stream = stream; TempPath = path; _target = target; }

        /// <summary>The stream to write.</summary>
        public FileStream Stream { get; }
        /// <summary>The temporary file's path.</summary>
        public string TempPath { get; }

        /// <summary>Flushes the file to disk and renames it over the target while still holding its lock.</summary>
        public void Commit()
        {
            if (_committed) return;
            Stream.Flush(flushToDisk: true);
            AtomicFile.Commit(TempPath, _target);
            _committed = true;
            Stream.Dispose();
        }

        /// <summary>Closes the file; an uncommitted one is deleted.</summary>
        public void Dispose()
        {
            Stream.Dispose();
            if (!_committed) TryDelete(TempPath);
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

    /// <summary>
    /// A unique temporary path beside <paramref name="path"/> (its folder is created): <c>.&lt;name&gt;.&lt;process id&gt;.&lt;random&gt;.tmp</c>.
    /// Temporary files of the same target left by earlier runs that were killed (no process holds their lock any more)
    /// are deleted first; those of a run still writing are locked and left alone.
    /// </summary>
    public static string TempPathFor(string path)
    {
        CheckDestination(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no parent folder.", nameof(path));
        Directory.CreateDirectory(dir);
        DeleteStaleTemporaries(dir, Path.GetFileName(full));
        return TemporarySibling(full);
    }

    /// <summary>A new temporary name beside <paramref name="fullPath"/>: <c>.&lt;name&gt;.&lt;process id&gt;.&lt;random&gt;.tmp</c> (a file or a staging folder).</summary>
    internal static string TemporarySibling(string fullPath)
        => Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..12]}.tmp");

    /// <summary>Deletes the unlocked temporary files of <paramref name="name"/> in <paramref name="folder"/>; returns how many.</summary>
    public static int DeleteStaleTemporaries(string folder, string name)
    {
        int deleted = 0;
        string[] candidates;
        try { candidates = Directory.GetFiles(folder, $".{name}.*.tmp"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
        foreach (var candidate in candidates)
        {
            if (FileKinds.Of(candidate) != FileKind.Regular) continue;
            try
            {
                // Opening it exclusively succeeds only when no live writer holds it.
                using (new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
                File.Delete(candidate);
                deleted++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return deleted;
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
    /// <exception cref="Core.InvalidInputDataException">The destination is not a regular file.</exception>
    public static void CheckDestination(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var kind = FileKinds.Of(path);
        if (kind is not (FileKind.Missing or FileKind.Regular))
            throw new Core.InvalidInputDataException($"Output '{path}' is {FileKinds.Describe(kind)}; only a new path or a regular file is written.", path);
    }

    /// <summary>Deletes a temporary file if it exists, ignoring failures (error paths).</summary>
    public static void TryDelete(string tempPath)
    {
        try { if (File.Exists(tempPath)) File.Delete(tempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
