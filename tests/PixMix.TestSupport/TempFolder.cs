namespace PixMix.TestSupport;

/// <summary>A fresh temporary folder, deleted with its contents on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates an empty folder under the system's temporary folder.</summary>
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pixmix-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder, e.g. <c>File("out", "model.zip")</c>; nothing is created.</summary>
    public string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="name"/> inside the folder (creating its subfolders); returns the full path.</summary>
    public string Write(string name, byte[] bytes)
    {
        var path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Deletes the folder; a file still held open elsewhere leaves it behind rather than failing the test.</summary>
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
