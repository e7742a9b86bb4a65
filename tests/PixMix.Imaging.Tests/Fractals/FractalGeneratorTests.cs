using PixMix.Imaging;
using PixMix.Imaging.Fractals;

namespace PixMix.Imaging.Tests.Fractals;

public class FractalGeneratorTests
{
    private static ImageU8 Render(long seed, int index, int size = 48)
    {
        var img = new ImageU8(size, size, 3);
        FractalGenerator.Render(seed, index, img);
        return img;
    }

    [Fact]
    public void SameSeedAndIndexGiveTheSamePicture()
    {
        Assert.Equal(Render(3, 17).Span.ToArray(), Render(3, 17).Span.ToArray());
        Assert.NotEqual(Render(3, 17).Span.ToArray(), Render(4, 17).Span.ToArray());
        Assert.NotEqual(Render(3, 17).Span.ToArray(), Render(3, 18).Span.ToArray());
    }

    [Fact]
    public void PicturesAreStructuredColourfulAndDiverse()
    {
        var kinds = new HashSet<FractalKind>();
        var meanColours = new List<(double R, double G, double B)>();
        for (int i = 0; i < 40; i++)
        {
            kinds.Add(FractalGenerator.KindOf(9, i));
            var img = Render(9, i);
            var px = img.Span.ToArray();
            double mean = px.Average(b => (double)b);
            double std = Math.Sqrt(px.Average(b => (b - mean) * (b - mean)));
            Assert.True(std > 8, $"picture {i} is nearly flat (std {std:F1})");
            Assert.True(px.Count(b => b > 0) > px.Length / 20, $"picture {i} is nearly black");
            double r = 0, g = 0, bl = 0;
            for (int p = 0; p < px.Length; p += 3) { r += px[p]; g += px[p + 1]; bl += px[p + 2]; }
            meanColours.Add((r, g, bl));
        }
        Assert.Equal(3, kinds.Count);
        // Colour diversity: the dominant channel varies across pictures.
        var dominant = meanColours.Select(c => c.R >= c.G && c.R >= c.B ? 0 : c.G >= c.B ? 1 : 2).Distinct().Count();
        Assert.Equal(3, dominant);
    }

    [Fact]
    public void GreyRenderingIsTheLumaOfTheColourRendering()
    {
        for (int index = 0; index < 6; index++)
        {
            var grey = new ImageU8(30, 20, 1);
            var colour = new ImageU8(30, 20, 3);
            FractalGenerator.Render(1, index, grey);
            FractalGenerator.Render(1, index, colour);
            Assert.True(grey.Span.ToArray().Distinct().Count() > 5, $"picture {index} is nearly flat");
            // The same picture: each grey pixel is ITU-R 601 luma of the colour pixel. Both are rounded from the same
            // floats, so luma computed from the rounded colour bytes is within one level of the grey byte.
            for (int y = 0; y < 20; y++)
                for (int x = 0; x < 30; x++)
                {
                    double luma = 0.299 * colour[x, y, 0] + 0.587 * colour[x, y, 1] + 0.114 * colour[x, y, 2];
                    Assert.True(Math.Abs(grey[x, y, 0] - luma) <= 1.0, $"picture {index} at ({x}, {y}): grey {grey[x, y, 0]}, luma of the colour pixel {luma:F2}");
                }
        }
    }
}
