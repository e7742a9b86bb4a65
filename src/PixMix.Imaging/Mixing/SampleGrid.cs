using PixMix.Imaging.Transforms;

namespace PixMix.Imaging.Mixing;

/// <summary>Renders PixMix samples side by side, to look at.</summary>
public static class SampleGrid
{
    /// <summary>A grid: one row per image, the image first, then <paramref name="samples"/> PixMix samples (2 px gaps).</summary>
    public static ImageU8 Render(IReadOnlyList<ImageU8> images, PixMixRecipe recipe, MixingSet set, int samples, long seed)
    {
        int s = recipe.Size, gap = 2;
        var processor = new PixMixImageProcessor(recipe, set, 3);
        var grid = new ImageU8((samples + 1) * (s + gap) + gap, images.Count * (s + gap) + gap, 3);
        grid.Span.Fill(255);
        var ws = new PixMixImageProcessor.Workspace();
        var floats = new float[processor.OutputLength];
        var cell = new ImageF32(s, s, 3);
        var cellU8 = new ImageU8(s, s, 3);
        for (int r = 0; r < images.Count; r++)
            for (int c = 0; c <= samples; c++)
            {
                if (c == 0) processor.Evaluate(images[r], floats, ws);
                else
                {
                    var rng = PixMixRandom.For(seed, c, r);
                    processor.Augment(images[r], floats, ref rng, ws);
                }
                floats.CopyTo(cell.Data, 0);
                cell.CopyTo(cellU8);
                for (int y = 0; y < s; y++)
                    cellU8.Span.Slice(y * s * 3, s * 3).CopyTo(grid.Span.Slice(((gap + r * (s + gap) + y) * grid.Width + gap + c * (s + gap)) * 3, s * 3));
            }
        return grid;
    }
}
