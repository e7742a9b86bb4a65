using System.Buffers;
using System.Runtime.InteropServices;

namespace PixMix.Imaging.Formats;

/// <summary>
/// A .npy file opened for reading. The header is parsed and checked against the file's length when the file is
/// opened; the data are read through a read-only memory mapping (or positioned reads, see <see cref="DataFileAccess"/>),
/// so opening a 150 MB file costs no memory beyond the pages actually read, and <see cref="Dispose"/> releases the
/// mapping. Reads are safe from several threads.
/// Files this reader cannot handle (big-endian, Fortran order, object or structured dtypes, truncated files,
/// absurd headers) raise <see cref="InvalidDataException"/> naming the file and the problem.
/// </summary>
public sealed class NpyFile : IDisposable
{
    private readonly ByteStore _store;
    private readonly long[] _shape;

    private NpyFile(ByteStore store)
    {
        _store = store;
        try
        {
            Header = NpyHeader.Read(store);
        }
        catch
        {
            store.Dispose();
            throw;
        }
        _shape = [.. Header.Shape];
    }

    /// <summary>Opens <paramref name="path"/> read-only, memory-mapped (default) or with positioned reads.</summary>
    public static NpyFile Open(string path, DataFileAccess access = DataFileAccess.MemoryMapped)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new NpyFile(ByteStore.Open(path, access));
    }

    /// <summary>Reads a .npy image held in memory; <paramref name="name"/> is used in error messages.</summary>
    internal static NpyFile FromBytes(byte[] bytes, string name = "<memory>") => new(new ArrayStore(bytes, name));

    /// <summary>The file's full path (as used in error messages).</summary>
    public string Path => _store.Name;
    /// <summary>The parsed header.</summary>
    public NpyHeader Header { get; }
    /// <summary>The element type.</summary>
    public NpyDType DType => Header.DType;
    /// <summary>The array's shape.</summary>
    public IReadOnlyList<long> Shape => _shape;
    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;
    /// <summary>Total number of elements.</summary>
    public long ElementCount => Header.ElementCount;
    /// <summary>Number of elements of one row (the product of all dimensions but the first; 1 for 0-d and 1-d arrays).</summary>
    public long RowLength => _shape.Length <= 1 ? 1 : NpyHeader.CheckedCount(_shape.AsSpan(1))!.Value;

    /// <summary>Copies raw data bytes starting at <paramref name="dataByteOffset"/> (relative to the first element).</summary>
    public void ReadBytes(long dataByteOffset, Span<byte> destination)
    {
        if (dataByteOffset < 0 || dataByteOffset > Header.DataLength - destination.Length)
            throw new ArgumentOutOfRangeException(nameof(dataByteOffset), $"Bytes [{dataByteOffset}, {dataByteOffset}+{destination.Length}) lie outside the {Header.DataLength} data bytes of '{Path}'.");
        _store.Read(Header.DataOffset + dataByteOffset, destination);
    }

    /// <summary>
    /// Copies <paramref name="destination"/>.Length elements starting at flat index <paramref name="elementIndex"/>.
    /// <typeparamref name="T"/> must be the file's element type (bool may be read as byte).
    /// </summary>
    public void Read<T>(long elementIndex, Span<T> destination) where T : unmanaged
    {
        if (!NpyDTypes.Matches<T>(DType))
            throw new InvalidOperationException($"'{Path}' holds {NpyDTypes.Descr(DType)} elements; they cannot be read as {typeof(T).Name}.");
        CheckElements(elementIndex, destination.Length);
        ReadBytes(elementIndex * Header.ElementSize, MemoryMarshal.AsBytes(destination));
    }

    /// <summary>Reads row <paramref name="row"/> (the sub-array at index <paramref name="row"/> of the first axis).</summary>
    public void ReadRow<T>(long row, Span<T> destination) where T : unmanaged
    {
        if (_shape.Length == 0) throw new InvalidOperationException($"'{Path}' holds a 0-d array; it has no rows.");
        if ((ulong)row >= (ulong)_shape[0]) throw new ArgumentOutOfRangeException(nameof(row), row, $"'{Path}' has {_shape[0]} rows.");
        if (destination.Length != RowLength) throw new ArgumentException($"destination holds {destination.Length} elements; a row of '{Path}' holds {RowLength}.", nameof(destination));
        Read(row * RowLength, destination);
    }

    /// <summary>
    /// Reads elements of any integer or bool dtype converted to <see cref="long"/> (labels stored as uint8, int32 or int64).
    /// </summary>
    public void ReadAsInt64(long elementIndex, Span<long> destination)
    {
        CheckElements(elementIndex, destination.Length);
        int size = Header.ElementSize;
        const int chunk = 4096;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(chunk * size);
        try
        {
            for (int done = 0; done < destination.Length; done += chunk)
            {
                int n = Math.Min(chunk, destination.Length - done);
                var bytes = buffer.AsSpan(0, n * size);
                ReadBytes((elementIndex + done) * size, bytes);
                var dst = destination.Slice(done, n);
                switch (DType)
                {
                    case NpyDType.Bool:
                    case NpyDType.UInt8: for (int i = 0; i < n; i++) dst[i] = bytes[i]; break;
                    case NpyDType.Int8: for (int i = 0; i < n; i++) dst[i] = (sbyte)bytes[i]; break;
                    case NpyDType.UInt16: Widen(MemoryMarshal.Cast<byte, ushort>(bytes), dst); break;
                    case NpyDType.Int16: Widen(MemoryMarshal.Cast<byte, short>(bytes), dst); break;
                    case NpyDType.UInt32: Widen(MemoryMarshal.Cast<byte, uint>(bytes), dst); break;
                    case NpyDType.Int32: Widen(MemoryMarshal.Cast<byte, int>(bytes), dst); break;
                    case NpyDType.Int64: MemoryMarshal.Cast<byte, long>(bytes).CopyTo(dst); break;
                    case NpyDType.UInt64:
                        var u = MemoryMarshal.Cast<byte, ulong>(bytes);
                        for (int i = 0; i < n; i++)
                        {
                            if (u[i] > long.MaxValue) throw new InvalidDataException($"'{Path}' element {elementIndex + done + i} ({u[i]}) does not fit a 64-bit signed integer.");
                            dst[i] = (long)u[i];
                        }
                        break;
                    default:
                        throw new InvalidOperationException($"'{Path}' holds {NpyDTypes.Descr(DType)} elements, not integers.");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Widen<T>(ReadOnlySpan<T> source, Span<long> destination) where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        for (int i = 0; i < source.Length; i++) destination[i] = long.CreateTruncating(source[i]);
    }

    /// <summary>Reads the whole array into a new array (refused above 2^31 elements).</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        if (ElementCount > Array.MaxLength) throw new InvalidOperationException($"'{Path}' holds {ElementCount} elements, too many for one array; read it in parts.");
        var result = new T[ElementCount];
        Read<T>(0, result);
        return result;
    }

    /// <summary>Reads all elements of an integer array as <see cref="int"/> labels, refusing negative or oversized values.</summary>
    public int[] ReadLabels()
    {
        if (ElementCount > Array.MaxLength) throw new InvalidDataException($"'{Path}' holds {ElementCount} labels, too many.");
        if (DType is NpyDType.Float32 or NpyDType.Float64)
            throw new InvalidDataException($"'{Path}' holds {NpyDTypes.Descr(DType)} values; labels must be integers (uint8, int32 or int64).");
        var wide = new long[ElementCount];
        ReadAsInt64(0, wide);
        var labels = new int[wide.Length];
        for (int i = 0; i < wide.Length; i++)
        {
            if (wide[i] < 0 || wide[i] > int.MaxValue) throw new InvalidDataException($"'{Path}' label {i} is {wide[i]}; labels must be between 0 and {int.MaxValue}.");
            labels[i] = (int)wide[i];
        }
        return labels;
    }

    private void CheckElements(long elementIndex, int count)
    {
        if (elementIndex < 0 || elementIndex > ElementCount - count)
            throw new ArgumentOutOfRangeException(nameof(elementIndex), $"Elements [{elementIndex}, {elementIndex}+{count}) lie outside the {ElementCount} elements of '{Path}'.");
    }

    /// <summary>Releases the memory mapping.</summary>
    public void Dispose() => _store.Dispose();
}
