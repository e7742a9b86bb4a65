using PixMix.Imaging.Fractals;

namespace PixMix.Imaging.Mixing;

/// <summary>The built-in fractal pictures.</summary>
public sealed class FractalMixingSet : MixingSet
{
    private readonly int _count;
    private readonly long _seed;

    /// <summary>Creates a set of <paramref name="count"/> fractals seeded <paramref name="seed"/>.</summary>
    public FractalMixingSet(int count, long seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "The fractal mixing set needs count >= 1 pictures; an empty mixing set is not allowed.");
        _count = count; _seed = seed;
    }

    /// <inheritdoc />
    public override int Count => _count;
    /// <inheritdoc />
    public override MixingSetDescription Description => new() { Kind = MixingSetKind.Fractals, Count = _count, Seed = _seed };

    /// <inheritdoc />
    public override ImageU8 LoadPicture(int index, int minShorterSide)
    {
        if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in 0..{_count - 1}.");
        int size = Math.Max(8, minShorterSide);
        var img = new ImageU8(size, size, 3);
        FractalGenerator.Render(_seed, index, img);
        return img;
    }
}
