using PixMix.Imaging.Core;

namespace PixMix.Imaging;

/// <summary>Checks, before a large output is written, that the file system holding it has room for it.</summary>
public static class FreeSpace
{
    /// <summary>Outputs below this size are not checked (1 GiB).</summary>
    public const long CheckedFromBytes = 1L << 30;

    /// <summary>
    /// Refuses to start writing <paramref name="bytes"/> under <paramref name="folder"/> when the file system it lies on
    /// has less room (with a 5% margin); does nothing for outputs under <see cref="CheckedFromBytes"/> or where the
    /// file system cannot be told.
    /// </summary>
    /// <exception cref="InvalidInputDataException">The output does not fit.</exception>
    public static void Require(string folder, long bytes, string what)
    {
        if (bytes < CheckedFromBytes) return;
        long? free = Available(folder);
        if (free is { } f && bytes + bytes / 20 > f)
            throw new InvalidInputDataException(
                $"{what} needs {Gib(bytes)} under '{folder}', but its file system has {Gib(f)} free; free some space or write elsewhere.", folder);
    }

    /// <summary>The bytes available to this user on the file system holding <paramref name="folder"/>, or null.</summary>
    public static long? Available(string folder)
    {
        string full = Path.GetFullPath(folder);
        DriveInfo? best = null;
        try
        {
            foreach (var drive in DriveInfo.GetDrives())
            {
                string root = drive.RootDirectory.FullName;
                bool under = full.StartsWith(root, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)
                    && (full.Length == root.Length || root.EndsWith(Path.DirectorySeparatorChar) || full[root.Length] == Path.DirectorySeparatorChar);
                if (under && (best is null || root.Length > best.RootDirectory.FullName.Length)) best = drive;
            }
            return best is { IsReady: true } ? best.AvailableFreeSpace : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    private static string Gib(long bytes) => $"{bytes / (double)(1L << 30):0.0} GiB";
}
