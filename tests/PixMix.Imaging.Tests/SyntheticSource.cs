using PixMix.Imaging.Sources;

namespace PixMix.Imaging.Tests;

/// <summary>Images computed from their index; nothing held in memory.</summary>
internal sealed class SyntheticSource(long count, int width, int height, int channels = 3, int labelModulo = 10) : IImageSource
{
    public long Count => count;
    public int Width => width;
    public int Height => height;
    public int Channels => channels;
    public bool HasLabels => true;
    public IReadOnlyList<string>? ClassNames => null;
    public static byte Pixel(long index, int k) => (byte)(index * 7 + k * 3);
    public void ReadImage(long index, Span<byte> destination)
    {
        for (int k = 0; k < width * height * channels; k++) destination[k] = Pixel(index, k);
    }
    public int ReadLabel(long index) => (int)(index * 3 % labelModulo);
}
