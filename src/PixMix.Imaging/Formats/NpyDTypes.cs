namespace PixMix.Imaging.Formats;

/// <summary>Sizes, descr strings and CLR types of <see cref="NpyDType"/>.</summary>
public static class NpyDTypes
{
    /// <summary>The size of one element in bytes.</summary>
    public static int SizeOf(NpyDType dtype) => dtype switch
    {
        NpyDType.Bool or NpyDType.UInt8 or NpyDType.Int8 => 1,
        NpyDType.UInt16 or NpyDType.Int16 => 2,
        NpyDType.UInt32 or NpyDType.Int32 or NpyDType.Float32 => 4,
        NpyDType.UInt64 or NpyDType.Int64 or NpyDType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>The descr string numpy writes for <paramref name="dtype"/> ('|u1', '&lt;i8', '&lt;f4', ...).</summary>
    public static string Descr(NpyDType dtype) => dtype switch
    {
        NpyDType.Bool => "|b1",
        NpyDType.UInt8 => "|u1",
        NpyDType.Int8 => "|i1",
        NpyDType.UInt16 => "<u2",
        NpyDType.Int16 => "<i2",
        NpyDType.UInt32 => "<u4",
        NpyDType.Int32 => "<i4",
        NpyDType.UInt64 => "<u8",
        NpyDType.Int64 => "<i8",
        NpyDType.Float32 => "<f4",
        NpyDType.Float64 => "<f8",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>The dtype whose elements are stored as <typeparamref name="T"/> (bool is read as byte).</summary>
    public static NpyDType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(byte)) return NpyDType.UInt8;
        if (typeof(T) == typeof(sbyte)) return NpyDType.Int8;
        if (typeof(T) == typeof(ushort)) return NpyDType.UInt16;
        if (typeof(T) == typeof(short)) return NpyDType.Int16;
        if (typeof(T) == typeof(uint)) return NpyDType.UInt32;
        if (typeof(T) == typeof(int)) return NpyDType.Int32;
        if (typeof(T) == typeof(ulong)) return NpyDType.UInt64;
        if (typeof(T) == typeof(long)) return NpyDType.Int64;
        if (typeof(T) == typeof(float)) return NpyDType.Float32;
        if (typeof(T) == typeof(double)) return NpyDType.Float64;
        if (typeof(T) == typeof(bool)) return NpyDType.Bool;
        throw new NotSupportedException($"No .npy dtype corresponds to {typeof(T).Name}.");
    }

    /// <summary>Whether elements of <paramref name="dtype"/> may be read as <typeparamref name="T"/> without conversion.</summary>
    internal static bool Matches<T>(NpyDType dtype) where T : unmanaged
        => Of<T>() == dtype || (dtype == NpyDType.Bool && typeof(T) == typeof(byte));
}
