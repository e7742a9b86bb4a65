using PixMix.TestSupport;

namespace PixMix.Imaging.Tests;

/// <summary>Images computed from their index (byte k of image i is <see cref="Pixel"/>(i, k)); nothing held in memory.</summary>
internal static class SyntheticSource
{
    public static byte Pixel(long index, int k) => (byte)(index * 7 + k * 3);

    /// <summary><paramref name="count"/> images labelled <c>i * 3 % labelModulo</c>, without class names.</summary>
    public static ArrayImageSource Create(long count, int width, int height, int channels = 3, int labelModulo = 10) =>
        new(count, width, height, channels, Pixel, index => (int)(index * 3 % labelModulo));
}
