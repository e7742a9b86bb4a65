namespace PixMix.MLNet.Transforms;

/// <summary>What the PixMix transform reads from its input column.</summary>
internal enum PixMixInputKind
{
    /// <summary>An ML.NET image (<see cref="MLImage"/>), any size, BGRA or RGBA.</summary>
    Image,
    /// <summary>A vector of bytes (0..255) in HWC order.</summary>
    ByteVector,
    /// <summary>A vector of floats (0..255 or 0..1) in HWC order.</summary>
    FloatVector,
}
