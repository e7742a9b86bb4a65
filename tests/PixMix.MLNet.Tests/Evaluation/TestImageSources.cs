using PixMix.Imaging;
using PixMix.Imaging.Sources;

namespace PixMix.MLNet.Tests.Evaluation;

/// <summary>Three classes of 4x4 RGB patterns (top half bright, left half bright, checkerboard) with noise; label = index % 3.</summary>
public sealed class PatternImageSource(long count, long seed) : IImageSource
{
    public long Count => count;
    public int Width => 4;
    public int Height => 4;
    public int Channels => 3;
    public bool HasLabels => true;
    public IReadOnlyList<string>? ClassNames => null;
    public int ReadLabel(long index) => (int)(index % 3);

    public void ReadImage(long index, Span<byte> destination)
    {
        int label = ReadLabel(index);
        var rng = PixMixRandom.For(seed, 0, index);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
            {
                bool bright = label switch { 0 => y < 2, 1 => x < 2, _ => (x + y) % 2 == 0 };
                for (int c = 0; c < 3; c++)
                    destination[(y * 4 + x) * 3 + c] = (byte)Math.Clamp((bright ? 160 : 95) + rng.NextInt(201) - 100, 0, 255);
            }
    }
}

/// <summary>
/// Darkens the bottom half of another source's images by a factor (a stand-in corruption that pushes the patterns
/// towards class 0, "top half bright").
/// </summary>
public sealed class DarkenedImageSource(IImageSource inner, double factor) : IImageSource
{
    public long Count => inner.Count;
    public int Width => inner.Width;
    public int Height => inner.Height;
    public int Channels => inner.Channels;
    public bool HasLabels => inner.HasLabels;
    public IReadOnlyList<string>? ClassNames => inner.ClassNames;
    public int ReadLabel(long index) => inner.ReadLabel(index);

    public void ReadImage(long index, Span<byte> destination)
    {
        inner.ReadImage(index, destination);
        int half = Width * (Height / 2) * Channels;
        for (int i = half; i < Width * Height * Channels; i++) destination[i] = (byte)Math.Round(destination[i] * factor);
    }
}
