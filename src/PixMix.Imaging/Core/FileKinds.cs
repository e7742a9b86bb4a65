using System.Runtime.InteropServices;

namespace PixMix.Imaging;

/// <summary>
/// Tells regular files from devices, FIFOs, sockets, folders and links without opening them. On Unix it asks the .NET
/// runtime's own native <c>lstat</c> shim (<c>SystemNative_LStat</c> of libSystem.Native, whose status structure
/// starts with the flags and the mode on every Unix the runtime supports); elsewhere the BCL's attributes suffice.
/// </summary>
public static class FileKinds
{
    private const int TypeMask = 0xF000, Fifo = 0x1000, CharDevice = 0x2000, Directory = 0x4000, BlockDevice = 0x6000,
        Regular = 0x8000, Link = 0xA000, Socket = 0xC000;

    /// <summary>The kind of <paramref name="path"/>, not following a final symbolic link.</summary>
    public static FileKind Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            if (System.IO.Directory.Exists(path)) return FileKind.Directory;
            if (!File.Exists(path)) return FileKind.Missing;
            return new FileInfo(path).LinkTarget is not null ? FileKind.SymbolicLink : FileKind.Regular;
        }
        int mode = LStatMode(path);
        if (mode < 0) return FileKind.Missing;
        return (mode & TypeMask) switch
        {
            Regular => FileKind.Regular,
            Directory => FileKind.Directory,
            Link => FileKind.SymbolicLink,
            CharDevice => FileKind.CharacterDevice,
            BlockDevice => FileKind.BlockDevice,
            Fifo => FileKind.Fifo,
            Socket => FileKind.Socket,
            _ => FileKind.Regular,
        };
    }

    /// <summary>
    /// The kind of what <paramref name="path"/> finally names, following symbolic links (a dangling link is
    /// <see cref="FileKind.Missing"/>, a link loop <see cref="FileKind.SymbolicLink"/>).
    /// </summary>
    public static FileKind OfTarget(string path)
    {
        var kind = Of(path);
        if (kind != FileKind.SymbolicLink) return kind;
        FileSystemInfo? target;
        try { target = File.ResolveLinkTarget(path, returnFinalTarget: true); }
        catch (IOException) { return FileKind.SymbolicLink; }
        return target is null ? FileKind.SymbolicLink : target.Exists || System.IO.Directory.Exists(target.FullName) ? Of(target.FullName) : FileKind.Missing;
    }

    /// <summary>
    /// Checks that <paramref name="path"/> is a regular file (following symbolic links) before anything opens it, so a
    /// FIFO, device or socket named like an input is never opened (opening a FIFO for reading blocks).
    /// </summary>
    /// <param name="path">The input file.</param>
    /// <param name="what">What the file should be, for messages ("CIFAR batch", "NumPy array").</param>
    /// <exception cref="FileNotFoundException">Nothing is at the path.</exception>
    /// <exception cref="Core.InvalidInputDataException">The path is a folder, device, FIFO, socket or a link loop.</exception>
    public static void RequireRegularInput(string path, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var kind = OfTarget(path);
        if (kind == FileKind.Regular) return;
        if (kind == FileKind.Missing) throw new FileNotFoundException($"{what} '{path}' does not exist.", path);
        throw new Core.InvalidInputDataException($"{what} '{path}' is {Describe(kind)}; expected a regular file (it is not opened).", path);
    }

    /// <summary>How a kind reads in messages ("a character device").</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a file",
        FileKind.Directory => "a folder",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a FIFO (named pipe)",
        _ => "a socket",
    };

    private static unsafe int LStatMode(string path)
    {
        // Room for any version of the runtime's status structure; only the mode (the second 32-bit field) is read.
        byte* status = stackalloc byte[512];
        int result = SystemNativeLStat(path, status);
        return result != 0 ? -1 : *(int*)(status + 4);
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", CharSet = CharSet.Ansi, SetLastError = true)]
    private static extern unsafe int SystemNativeLStat(string path, byte* output);
}
