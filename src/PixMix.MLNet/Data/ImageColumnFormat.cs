namespace PixMix.MLNet.Data;

/// <summary>How <see cref="ImageSourceDataView"/> presents its image column.</summary>
internal enum ImageColumnFormat
{
    /// <summary>Bytes of shape (H, W, C).</summary>
    Bytes,
    /// <summary>Floats of shape (H, W, C), the byte values 0..255.</summary>
    Floats,
    /// <summary>An <c>MLImage</c> (ML.NET's image type) of the source's size.</summary>
    MLImage,
}
