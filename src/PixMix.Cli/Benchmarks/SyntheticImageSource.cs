using PixMix.Imaging;
using PixMix.Imaging.Sources;

namespace PixMix.Cli.Benchmarks;

/// <summary>
/// An in-memory <see cref="IImageSource"/> of reproducible synthetic RGB images (smooth gradients with noise), for
/// measuring throughput without touching the disk.
/// </summary>
internal sealed class SyntheticImageSource(int count, int size, int channels = 3, long seed = 0) : IImageSource
{
    private readonly byte[] _pixels = Generate(count, size, channels, seed);

    public long Count => count;
    public int Width => size;
    public int Height => size;
    public int Channels => channels;
    public bool HasLabels => false;
    public IReadOnlyList<string>? ClassNames => null;
    public int ImageLength => Width * Height * Channels;

    /// <summary>A copy of image <paramref name="index"/>.</summary>
    public ImageU8 Image(long index) => new(Width, Height, Channels, _pixels.AsSpan(checked((int)index * ImageLength), ImageLength).ToArray());

    public void ReadImage(long index, Span<byte> destination) => _pixels.AsSpan(checked((int)index * ImageLength), ImageLength).CopyTo(destination);
    public int ReadLabel(long index) => throw new InvalidOperationException("Synthetic images have no labels.");

    private static byte[] Generate(int count, int size, int channels, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var pixels = new byte[checked(count * size * size * channels)];
        var rng = new PixMixRandom((ulong)seed);
        int i = 0;
        for (int n = 0; n < count; n++)
        {
            int phase = rng.NextInt(256);
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                    for (int c = 0; c < channels; c++)
                        pixels[i++] = (byte)((phase + (x + c * y) * 255 / size + rng.NextInt(32)) & 0xFF);
        }
        return pixels;
    }
}
