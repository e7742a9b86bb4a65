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
    public void GreyRenderingWorks()
    {
        var img = new ImageU8(30, 20, 1);
        FractalGenerator.Render(1, 2, img);
        Assert.True(img.Span.ToArray().Distinct().Count() > 5);
    }
}
