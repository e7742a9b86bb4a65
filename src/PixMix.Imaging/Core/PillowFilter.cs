namespace PixMix.Imaging;

/// <summary>The filters of <see cref="Resampler"/>, by Pillow's names.</summary>
public enum PillowFilter
{
    /// <summary>BOX: each output pixel the mean of the input pixels its footprint covers (pixelate).</summary>
    Box,
    /// <summary>BILINEAR: a triangle filter whose support widens with the downscale factor (antialiased; torchvision's Resize).</summary>
    Bilinear,
}
