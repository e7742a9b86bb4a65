namespace PixMix.Imaging;

/// <summary>What a path is on disk, as <c>lstat</c> tells it (the BCL reports devices, FIFOs and sockets as plain files on Unix).</summary>
public enum FileKind
{
    /// <summary>Nothing is at the path.</summary>
    Missing,
    /// <summary>A regular file.</summary>
    Regular,
    /// <summary>A folder.</summary>
    Directory,
    /// <summary>A symbolic link (not followed).</summary>
    SymbolicLink,
    /// <summary>A character device (for example /dev/null).</summary>
    CharacterDevice,
    /// <summary>A block device.</summary>
    BlockDevice,
    /// <summary>A named pipe.</summary>
    Fifo,
    /// <summary>A Unix socket.</summary>
    Socket,
}
