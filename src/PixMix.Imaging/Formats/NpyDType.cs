namespace PixMix.Imaging.Formats;

/// <summary>The little-endian numeric element types of a .npy file that <see cref="NpyFile"/> reads.</summary>
public enum NpyDType
{
    /// <summary>bool, descr '|b1' (one byte, 0 or 1).</summary>
    Bool,
    /// <summary>uint8, descr '|u1'.</summary>
    UInt8,
    /// <summary>int8, descr '|i1'.</summary>
    Int8,
    /// <summary>uint16, descr '&lt;u2'.</summary>
    UInt16,
    /// <summary>int16, descr '&lt;i2'.</summary>
    Int16,
    /// <summary>uint32, descr '&lt;u4'.</summary>
    UInt32,
    /// <summary>int32, descr '&lt;i4'.</summary>
    Int32,
    /// <summary>uint64, descr '&lt;u8'.</summary>
    UInt64,
    /// <summary>int64, descr '&lt;i8'.</summary>
    Int64,
    /// <summary>float32, descr '&lt;f4'.</summary>
    Float32,
    /// <summary>float64, descr '&lt;f8'.</summary>
    Float64,
}
