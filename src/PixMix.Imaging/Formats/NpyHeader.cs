using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace PixMix.Imaging.Formats;

/// <summary>
/// The parsed header of a .npy file (format versions 1.0, 2.0 and 3.0): element type, memory order, shape and
/// where the data starts. <see cref="Format"/> produces the header numpy's <c>np.save</c> writes (version 1.0,
/// data aligned to 64 bytes).
/// </summary>
public sealed class NpyHeader
{
    /// <summary>The magic string that opens every .npy file: \x93NUMPY.</summary>
    public static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Data start alignment numpy uses.</summary>
    public const int Alignment = 64;

    /// <summary>Largest header accepted (numpy itself refuses headers over 10,000 bytes by default).</summary>
    public const int MaxHeaderLength = 1 << 20;

    /// <summary>Largest number of dimensions accepted (numpy's limit).</summary>
    public const int MaxDimensions = 64;

    private readonly long[] _shape;

    /// <summary>Creates a header description.</summary>
    public NpyHeader(NpyDType dtype, ReadOnlySpan<long> shape, int majorVersion = 1, long dataOffset = 0)
    {
        if (shape.Length > MaxDimensions) throw new ArgumentException($"shape has {shape.Length} dimensions; at most {MaxDimensions} are supported.", nameof(shape));
        foreach (var d in shape)
            if (d < 0) throw new ArgumentException($"shape ({string.Join(", ", shape.ToArray())}) has a negative dimension.", nameof(shape));
        DType = dtype;
        _shape = shape.ToArray();
        MajorVersion = majorVersion;
        DataOffset = dataOffset;
        ElementCount = CheckedCount(_shape) ?? throw new ArgumentException($"shape ({string.Join(", ", _shape)}) holds more than 2^63 elements.", nameof(shape));
        DataLength = ElementCount > long.MaxValue / NpyDTypes.SizeOf(dtype)
            ? throw new ArgumentException($"shape ({string.Join(", ", _shape)}) holds more than 2^63 bytes.", nameof(shape))
            : ElementCount * NpyDTypes.SizeOf(dtype);
    }

    /// <summary>Element type.</summary>
    public NpyDType DType { get; }
    /// <summary>The array's shape (C order).</summary>
    public IReadOnlyList<long> Shape => _shape;
    /// <summary>Format major version: 1, 2 or 3.</summary>
    public int MajorVersion { get; }
    /// <summary>Byte offset of the first element in the file.</summary>
    public long DataOffset { get; }
    /// <summary>Product of the shape (1 for a 0-d array).</summary>
    public long ElementCount { get; }
    /// <summary>ElementCount * element size.</summary>
    public long DataLength { get; }
    /// <summary>Size of one element in bytes.</summary>
    public int ElementSize => NpyDTypes.SizeOf(DType);

    internal static long? CheckedCount(ReadOnlySpan<long> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d == 0) return 0;
            if (n > long.MaxValue / d) return null;
            n *= d;
        }
        return n;
    }

    /// <summary>The shape as numpy's repr writes it: "(3,)", "(2, 4)", "()".</summary>
    public static string ShapeRepr(IReadOnlyList<long> shape)
    {
        if (shape.Count == 1) return "(" + shape[0].ToString(CultureInfo.InvariantCulture) + ",)";
        return "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";
    }

    /// <summary>
    /// The complete version 1.0 header bytes numpy (1.24) writes for this dtype and shape: magic, version, length,
    /// the dict literal with sorted keys, 21-digit growth room after the dict, spaces and a newline so that the
    /// data starts at a multiple of 64.
    /// </summary>
    public byte[] Format()
    {
        var shapeRepr = ShapeRepr(_shape);
        var dict = new StringBuilder();
        dict.Append("{'descr': '").Append(NpyDTypes.Descr(DType)).Append("', 'fortran_order': False, 'shape': ").Append(shapeRepr).Append(", }");
        if (_shape.Length > 0)
        {
            // numpy leaves room for the first axis to grow to 21 digits, so the header can be rewritten in place.
            int digits = _shape[0].ToString(CultureInfo.InvariantCulture).Length;
            dict.Append(' ', Math.Max(0, 21 - digits));
        }
        int textLength = dict.Length + 1; // + '\n'
        int prefix = Magic.Length + 2 + 2;
        int pad = Alignment - ((prefix + textLength) % Alignment);
        int headerLength = textLength + pad;
        if (headerLength > ushort.MaxValue) throw new InvalidOperationException($"The header for shape {shapeRepr} does not fit a version 1.0 .npy header.");
        var bytes = new byte[prefix + headerLength];
        Magic.CopyTo(bytes);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        Encoding.Latin1.GetBytes(dict.ToString(), bytes.AsSpan(prefix));
        bytes.AsSpan(prefix + dict.Length, pad).Fill((byte)' ');
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    /// <summary>
    /// Parses the header at the start of a store and checks it against the store's length.
    /// </summary>
    internal static NpyHeader Read(ByteStore store)
    {
        string file = store.Name;
        long length = store.Length;
        if (length < 10) throw Bad(file, $"the file is {length} bytes long, too short for a .npy header (truncated)");
        Span<byte> prefix = stackalloc byte[12];
        store.Read(0, prefix[..(int)Math.Min(12, length)]);
        if (!prefix[..6].SequenceEqual(Magic)) throw Bad(file, "it does not start with the .npy magic string \\x93NUMPY");
        int major = prefix[6], minor = prefix[7];
        if (major is < 1 or > 3 || minor != 0) throw Bad(file, $"format version {major}.{minor} is not supported (1.0, 2.0 and 3.0 are)");
        long headerLength;
        int headerStart;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]);
            headerStart = 10;
        }
        else
        {
            if (length < 12) throw Bad(file, $"the file is {length} bytes long, too short for a version {major}.0 header (truncated)");
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
            headerStart = 12;
        }
        if (headerLength > MaxHeaderLength) throw Bad(file, $"the header length field says {headerLength} bytes, more than the {MaxHeaderLength} accepted");
        if (headerStart + headerLength > length) throw Bad(file, $"the header length field says {headerLength} bytes but the file is only {length} bytes long (truncated)");
        var raw = new byte[headerLength];
        store.Read(headerStart, raw);
        string text;
        try
        {
            text = major == 3 ? new UTF8Encoding(false, true).GetString(raw) : Encoding.Latin1.GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            throw Bad(file, "the version 3.0 header is not valid UTF-8");
        }

        object? literal;
        try
        {
            literal = new PyLiteralParser(text).ParseWhole();
        }
        catch (FormatException e)
        {
            throw Bad(file, $"the header is not a Python dict literal: {e.Message}");
        }
        if (literal is not Dictionary<string, object?> dict) throw Bad(file, "the header is not a Python dict");
        var expected = new[] { "descr", "fortran_order", "shape" };
        var keys = dict.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        if (!keys.SequenceEqual(expected))
            throw Bad(file, $"the header keys are [{string.Join(", ", keys)}], expected exactly [descr, fortran_order, shape]");

        var dtype = ParseDescr(file, dict["descr"]);
        if (dict["fortran_order"] is not bool fortran) throw Bad(file, "'fortran_order' is not True or False");
        if (dict["shape"] is not PyTuple shapeItems)
            throw Bad(file, "'shape' is not a tuple");
        if (shapeItems.Count > MaxDimensions) throw Bad(file, $"'shape' has {shapeItems.Count} dimensions; at most {MaxDimensions} are supported");
        var shape = new long[shapeItems.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            if (shapeItems[i] is not long d) throw Bad(file, $"'shape' item {i} is not an integer");
            if (d < 0) throw Bad(file, $"'shape' item {i} is negative ({d})");
            shape[i] = d;
        }
        if (fortran && shape.Length > 1)
            throw Bad(file, $"the array is stored in Fortran (column-major) order with shape {ShapeRepr(shape)}; only C order is supported (save it with np.ascontiguousarray)");

        long? count = CheckedCount(shape);
        int size = NpyDTypes.SizeOf(dtype);
        if (count is null || count.Value > long.MaxValue / size)
            throw Bad(file, $"the shape {ShapeRepr(shape)} declares more elements than any file can hold");
        long dataOffset = headerStart + headerLength;
        long dataLength = count.Value * size;
        long available = length - dataOffset;
        if (dataLength > available)
            throw Bad(file, $"the header declares {NpyDTypes.Descr(dtype)} data of shape {ShapeRepr(shape)} ({dataLength} bytes) but only {available} bytes follow the header (truncated)");
        if (dataLength < available)
            throw Bad(file, $"the header declares {NpyDTypes.Descr(dtype)} data of shape {ShapeRepr(shape)} ({dataLength} bytes) but {available} bytes follow the header ({available - dataLength} extra)");
        return new NpyHeader(dtype, shape, major, dataOffset);
    }

    private static NpyDType ParseDescr(string file, object? value)
    {
        if (value is List<object?>) throw Bad(file, "'descr' is a structured (record) dtype; only plain numeric dtypes are supported");
        if (value is not string descr) throw Bad(file, "'descr' is not a string");
        if (descr.Length < 2) throw Bad(file, $"dtype '{descr}' is not supported");
        char order = descr[0];
        string code = descr;
        if (order is '<' or '>' or '|' or '=') code = descr[1..];
        else order = '=';
        NpyDType? dtype = code switch
        {
            "b1" => NpyDType.Bool,
            "u1" => NpyDType.UInt8,
            "i1" => NpyDType.Int8,
            "u2" => NpyDType.UInt16,
            "i2" => NpyDType.Int16,
            "u4" => NpyDType.UInt32,
            "i4" => NpyDType.Int32,
            "u8" => NpyDType.UInt64,
            "i8" => NpyDType.Int64,
            "f4" => NpyDType.Float32,
            "f8" => NpyDType.Float64,
            _ => null,
        };
        if (code.StartsWith('O'))
            throw Bad(file, $"dtype '{descr}' is a Python object array (pickled); it cannot be read without Python");
        if (dtype is null) throw Bad(file, $"dtype '{descr}' is not supported (supported: bool, int8..int64, uint8..uint64, float32, float64)");
        if (order == '>' && NpyDTypes.SizeOf(dtype.Value) > 1)
            throw Bad(file, $"dtype '{descr}' is big-endian; only little-endian data is supported (convert with arr.astype(arr.dtype.newbyteorder('<')))");
        return dtype.Value;
    }

    private static InvalidDataException Bad(string file, string problem) => new($"Cannot read .npy file '{file}': {problem}.");
}
