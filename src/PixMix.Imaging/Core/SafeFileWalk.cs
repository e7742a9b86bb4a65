namespace PixMix.Imaging;

/// <summary>
/// Lists the regular files under a folder without the hazards of a plain recursive listing: a symbolic link to a
/// folder is followed only when its target lies inside the root (a link to <c>/</c> or elsewhere is skipped), each real
/// folder is visited once (so link loops end), and FIFOs, devices and sockets are left out without being opened.
/// </summary>
public static class SafeFileWalk
{
    /// <summary>
    /// The regular files (or links to regular files inside the root) under <paramref name="root"/>, recursively, in
    /// ordinal path order, as paths under <paramref name="root"/>.
    /// </summary>
    /// <param name="root">The folder to walk.</param>
    /// <param name="include">Which file names to keep (null: all).</param>
    /// <param name="leftOut">Receives the entries left out and why (a FIFO, a link out of the root, a loop); may be null.</param>
    public static string[] Files(string root, Func<string, bool>? include = null, List<(string Path, string Reason)>? leftOut = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        string full = Path.GetFullPath(root);
        string realRoot = RealPath(full) ?? full;
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<string>();
        var pending = new Stack<string>();
        pending.Push(full);
        while (pending.Count > 0)
        {
            string folder = pending.Pop();
            string? real = RealPath(folder);
            if (real is null) continue;
            if (!visited.Add(real))
            {
                leftOut?.Add((folder, "a folder already visited (a link loop or a second link to it)"));
                continue;
            }
            IEnumerable<string> entries;
            try { entries = Directory.EnumerateFileSystemEntries(folder).ToArray(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                leftOut?.Add((folder, e.Message));
                continue;
            }
            foreach (var entry in entries)
            {
                var kind = FileKinds.Of(entry);
                if (kind == FileKind.SymbolicLink)
                {
                    string? target = RealPath(entry);
                    if (target is null) { leftOut?.Add((entry, "a dangling or looping symbolic link")); continue; }
                    if (!IsInside(target, realRoot)) { leftOut?.Add((entry, $"a symbolic link out of the folder (to '{target}')")); continue; }
                    kind = FileKinds.Of(target);
                }
                switch (kind)
                {
                    case FileKind.Directory:
                        pending.Push(entry);
                        break;
                    case FileKind.Regular:
                        if (include is null || include(entry)) files.Add(entry);
                        break;
                    default:
                        if (include is null || include(entry)) leftOut?.Add((entry, $"{FileKinds.Describe(kind)}, not a regular file (not opened)"));
                        break;
                }
            }
        }
        files.Sort(StringComparer.Ordinal);
        return [.. files];
    }

    /// <summary>
    /// The sub-folders directly in <paramref name="root"/> (real folders, or links to folders inside the root), by
    /// name in ordinal order.
    /// </summary>
    public static string[] Folders(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        string full = Path.GetFullPath(root);
        string realRoot = RealPath(full) ?? full;
        var names = new List<string>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(full))
        {
            var kind = FileKinds.Of(entry);
            if (kind == FileKind.SymbolicLink)
            {
                string? target = RealPath(entry);
                if (target is null || !IsInside(target, realRoot) || target == realRoot) continue;
                kind = FileKinds.Of(target);
            }
            if (kind == FileKind.Directory) names.Add(Path.GetFileName(entry));
        }
        names.Sort(StringComparer.Ordinal);
        return [.. names];
    }

    /// <summary>The path with every symbolic link resolved, or null when it dangles or loops.</summary>
    internal static string? RealPath(string path)
    {
        try
        {
            string full = Path.GetFullPath(path);
            string? parent = Path.GetDirectoryName(full);
            string resolvedParent = parent is null ? full : RealPath(parent) ?? parent;
            string candidate = parent is null ? full : Path.Combine(resolvedParent, Path.GetFileName(full));
            if (FileKinds.Of(candidate) != FileKind.SymbolicLink) return FileKinds.Of(candidate) == FileKind.Missing ? null : candidate;
            var target = File.ResolveLinkTarget(candidate, returnFinalTarget: true);
            if (target is null || FileKinds.Of(target.FullName) == FileKind.Missing) return null;
            return RealPath(target.FullName);
        }
        catch (IOException) { return null; }
    }

    private static bool IsInside(string path, string root) =>
        path == root || path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
