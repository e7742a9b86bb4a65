namespace PixMix.Imaging.Corruptions;

/// <summary>How a filter reads outside the image.</summary>
internal enum Border
{
    /// <summary>Repeat the edge pixel: a a a | a b c d | d d d (scipy "nearest", OpenCV BORDER_REPLICATE).</summary>
    Nearest,
    /// <summary>Mirror including the edge: b a | a b c d | d c (scipy "reflect", OpenCV BORDER_REFLECT).</summary>
    Reflect,
    /// <summary>Mirror excluding the edge: c b | a b c d | c b (scipy "mirror", OpenCV BORDER_REFLECT_101).</summary>
    Reflect101,
}
