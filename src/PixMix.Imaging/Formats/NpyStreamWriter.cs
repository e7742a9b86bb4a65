using System.Runtime.InteropServices;

namespace PixMix.Imaging.Formats;

/// <summary>
/// Writes a .npy file of a known dtype and shape incrementally (for example 50,000 images produced one by one),
/// so that the array never has to be held in memory. Data go to a temporary file beside the target; <see cref="Commit"/>
/// checks that exactly the declared number of elements was written and renames the file into place. Disposing without
/// committing deletes the temporary file and leaves any existing target untouched. Not thread-safe: write from one thread.
/// </summary>
public sealed class NpyStreamWriter : IDisposable
{
    private readonly string _path;
    private readonly AtomicFile.Temporary _temporary;
    private readonly FileStream _stream;
    private readonly NpyHeader _header;
    private long _written;
    private bool _committed;
    private bool _disposed;

    /// <summary>Creates the temporary file and writes the version 1.0 header.</summary>
    public NpyStreamWriter(string path, NpyDType dtype, ReadOnlySpan<long> shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _header = new NpyHeader(dtype, shape);
        _path = System.IO.Path.GetFullPath(path);
        _temporary = AtomicFile.CreateTemporary(_path);
        _stream = _temporary.Stream;
        try
        {
            _stream.Write(_header.Format());
        }
        catch
        {
            _temporary.Dispose();
            throw;
        }
    }

    /// <summary>The target path.</summary>
    public string Path => _path;
    /// <summary>The header being written.</summary>
    public NpyHeader Header => _header;
    /// <summary>Elements written so far.</summary>
    public long ElementsWritten => _written;

    /// <summary>Appends elements; <typeparamref name="T"/> must be the declared element type.</summary>
    public void Write<T>(ReadOnlySpan<T> elements) where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed) throw new InvalidOperationException($"'{_path}' is already committed.");
        if (!NpyDTypes.Matches<T>(_header.DType))
            throw new ArgumentException($"'{_path}' is declared as {NpyDTypes.Descr(_header.DType)}; {typeof(T).Name} elements cannot be written to it.", nameof(elements));
        if (elements.Length > _header.ElementCount - _written)
            throw new InvalidOperationException($"Writing {elements.Length} more elements to '{_path}' would exceed the {_header.ElementCount} elements of shape {NpyHeader.ShapeRepr(_header.Shape)} ({_written} written).");
        _stream.Write(MemoryMarshal.AsBytes(elements));
        _written += elements.Length;
    }

    /// <summary>Flushes the file to disk and renames it to the target path.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed) return;
        if (_written != _header.ElementCount)
            throw new InvalidOperationException($"'{_path}' has {_written} of the {_header.ElementCount} elements of shape {NpyHeader.ShapeRepr(_header.Shape)}; it cannot be committed incomplete.");
        _temporary.Commit();
        _committed = true;
    }

    /// <summary>Closes the file; an uncommitted temporary file is deleted.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _temporary.Dispose();
    }
}
