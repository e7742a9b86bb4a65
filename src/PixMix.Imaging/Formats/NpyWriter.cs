namespace PixMix.Imaging.Formats;

/// <summary>
/// Writes whole arrays as .npy files exactly as numpy's <c>np.save</c> does (format version 1.0, header padded so the
/// data start at a multiple of 64 bytes, little-endian, C order), atomically (temporary file, then rename).
/// For arrays produced piece by piece use <see cref="NpyStreamWriter"/>.
/// </summary>
public static class NpyWriter
{
    /// <summary>Writes a uint8 array of the given shape.</summary>
    public static void Write(string path, ReadOnlySpan<byte> data, params ReadOnlySpan<long> shape) => WriteCore(path, data, shape);

    /// <summary>Writes an int64 array of the given shape.</summary>
    public static void Write(string path, ReadOnlySpan<long> data, params ReadOnlySpan<long> shape) => WriteCore(path, data, shape);

    /// <summary>Writes an int32 array of the given shape.</summary>
    public static void Write(string path, ReadOnlySpan<int> data, params ReadOnlySpan<long> shape) => WriteCore(path, data, shape);

    /// <summary>Writes a float32 array of the given shape.</summary>
    public static void Write(string path, ReadOnlySpan<float> data, params ReadOnlySpan<long> shape) => WriteCore(path, data, shape);

    /// <summary>Writes a float64 array of the given shape.</summary>
    public static void Write(string path, ReadOnlySpan<double> data, params ReadOnlySpan<long> shape) => WriteCore(path, data, shape);

    private static void WriteCore<T>(string path, ReadOnlySpan<T> data, ReadOnlySpan<long> shape) where T : unmanaged
    {
        using var writer = new NpyStreamWriter(path, NpyDTypes.Of<T>(), shape);
        if (data.Length != writer.Header.ElementCount)
            throw new ArgumentException($"data holds {data.Length} elements; shape {NpyHeader.ShapeRepr(writer.Header.Shape)} needs {writer.Header.ElementCount}.", nameof(data));
        writer.Write(data);
        writer.Commit();
    }
}
