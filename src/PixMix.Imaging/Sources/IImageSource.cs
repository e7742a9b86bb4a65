namespace PixMix.Imaging.Sources;

/// <summary>
/// A random-access collection of equally sized 8-bit images (HWC) with optional integer labels: the common shape
/// of CIFAR binaries, .npy files, idx files and image folders. Implementations are safe for concurrent reads.
/// </summary>
public interface IImageSource
{
    /// <summary>Number of images.</summary>
    long Count { get; }
    /// <summary>Image width in pixels.</summary>
    int Width { get; }
    /// <summary>Image height in pixels.</summary>
    int Height { get; }
    /// <summary>1 (grey) or 3 (RGB).</summary>
    int Channels { get; }
    /// <summary>Whether <see cref="ReadLabel"/> returns labels.</summary>
    bool HasLabels { get; }
    /// <summary>Class names, indexed by label, when known; otherwise null (labels are then 0..max).</summary>
    IReadOnlyList<string>? ClassNames { get; }
    /// <summary>Copies image <paramref name="index"/> (HWC, Width*Height*Channels bytes) into <paramref name="destination"/>.</summary>
    void ReadImage(long index, Span<byte> destination);
    /// <summary>The label of image <paramref name="index"/> (0-based class index).</summary>
    int ReadLabel(long index);
}
