namespace PixMix.Imaging.Formats;

/// <summary>How the readers access the bytes of an uncompressed data file. Both are safe for concurrent reads.</summary>
public enum DataFileAccess
{
    /// <summary>
    /// A read-only memory mapping of the whole file (the default): no system call per read, but the pages read count in
    /// the process's resident set until the file is disposed. The file must not be truncated while it is open.
    /// </summary>
    MemoryMapped,

    /// <summary>
    /// Positioned reads (pread) into the caller's buffer: one system call per read, and the process's resident memory
    /// stays small whatever the file size (the data live only in the operating system's page cache).
    /// </summary>
    PositionedReads,
}
