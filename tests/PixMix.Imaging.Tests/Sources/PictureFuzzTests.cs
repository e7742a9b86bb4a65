using PixMix.TestSupport;
using PixMix.Imaging.Core;

namespace PixMix.Imaging.Tests.Sources;

/// <summary>
/// Seeded byte-level mutations of a picture in each format, decoded as training and mixing pictures are: every case is
/// read in full at the picture's declared size, or refused with the documented bad-input exception naming the file.
/// </summary>
public class PictureFuzzTests
{
    private const int MutationsPerFormat = 150;

    public static TheoryData<string> Formats() => [.. PictureFiles.Formats];

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryMutatedPictureDecodesInFullOrIsRefused(string format)
    {
        byte[] original = PictureFiles.Encode(format, side: 24, seed: 7);
        var random = new Random(format.GetHashCode(StringComparison.Ordinal) & 0x7fff);
        using var folder = new TempFolder();
        int read = 0, refused = 0;
        for (int i = 0; i < MutationsPerFormat; i++)
        {
            var bytes = (byte[])original.Clone();
            int at = random.Next(bytes.Length);
            switch (random.Next(3))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)random.Next(256); break;
                default: bytes = bytes[..at]; break;
            }
            string path = folder.Write($"p{i}.{format}", bytes);
            try
            {
                var image = ImageCodec.Read(path);
                Assert.True(PictureBudget.Allows(image.Width, image.Height), $"{image.Width}x{image.Height} is over the picture budget");
                Assert.Equal(image.Width * image.Height * 3, image.Span.Length);
                read++;
            }
            catch (Exception e) when (e is InvalidInputDataException or InvalidDataException)
            {
                Assert.Contains(path, e.Message);
                refused++;
            }
        }
        Assert.Equal(MutationsPerFormat, read + refused);
        Assert.True(refused > 0, $"no mutated {format} was refused");
    }
}
