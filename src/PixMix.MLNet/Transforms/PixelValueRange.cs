namespace PixMix.MLNet.Transforms;

/// <summary>The range of the values of a float-vector input column (byte inputs are always 0..255).</summary>
public enum PixelValueRange
{
    /// <summary>Values are in 0..255, like bytes (the default).</summary>
    ZeroTo255,
    /// <summary>Values are in 0..1; they are multiplied by 255.</summary>
    ZeroToOne,
}
