using PixMix.Imaging.Transforms;

namespace PixMix.Imaging.Mixing;

/// <summary>
/// Draws mixing pictures for one training size: a picture chosen uniformly from the set, resized so that its
/// shorter side is <see cref="ResizeShorterSide"/> and randomly cropped to the training size (the paper's
/// Resize(36) + RandomCrop(32) for CIFAR, Resize(256) + RandomCrop(224) for ImageNet). Resized pictures are cached
/// (decoded and resized once), so steady-state sampling is a crop copy. Thread-safe.
/// </summary>
public sealed class MixingPictureSampler
{
    private readonly MixingSet _set;
    private readonly ImageU8?[] _cache;

    /// <summary>Creates a sampler for crops of <paramref name="width"/> x <paramref name="height"/> with <paramref name="channels"/> channels.</summary>
    public MixingPictureSampler(MixingSet set, int resizeShorterSide, int width, int height, int channels)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (set.Count < 1) throw new ArgumentException("The mixing set is empty; PixMix needs at least one mixing picture.", nameof(set));
        if (resizeShorterSide < Math.Min(width, height))
            throw new ArgumentOutOfRangeException(nameof(resizeShorterSide), resizeShorterSide, $"the mixing pictures' shorter side must be >= the crop size {Math.Min(width, height)}.");
        if (channels != 1 && channels != 3) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 or 3.");
        _set = set; ResizeShorterSide = resizeShorterSide; Width = width; Height = height; Channels = channels;
        _cache = new ImageU8?[set.Count];
    }

    /// <summary>The set drawn from.</summary>
    public MixingSet Set => _set;
    /// <summary>Shorter side after resizing.</summary>
    public int ResizeShorterSide { get; }
    /// <summary>Crop width.</summary>
    public int Width { get; }
    /// <summary>Crop height.</summary>
    public int Height { get; }
    /// <summary>Channels of the crops.</summary>
    public int Channels { get; }

    /// <summary>Draws a picture and a crop position from <paramref name="rng"/> and writes the crop into <paramref name="destination"/>.</summary>
    public void Sample(ref PixMixRandom rng, ImageU8 destination)
    {
        if (destination.Width != Width || destination.Height != Height || destination.Channels != Channels)
            throw new ArgumentException($"destination is {destination.Width}x{destination.Height}x{destination.Channels}, expected {Width}x{Height}x{Channels}.", nameof(destination));
        int index = rng.NextInt(_set.Count);
        var picture = Prepared(index);
        int top = rng.NextIntInclusive(0, picture.Height - Height);
        int left = rng.NextIntInclusive(0, picture.Width - Width);
        ImageTransforms.Crop(picture, left, top, destination);
    }

    /// <summary>Picture <paramref name="index"/> resized (cached).</summary>
    public ImageU8 Prepared(int index)
    {
        var cached = Volatile.Read(ref _cache[index]);
        if (cached is not null) return cached;
        var raw = _set.LoadPicture(index, ResizeShorterSide);
        var (w, h) = ImageTransforms.ShorterSideSize(raw.Width, raw.Height, ResizeShorterSide);
        w = Math.Max(w, Width); h = Math.Max(h, Height);
        ImageU8 resized;
        if (raw.Width == w && raw.Height == h) resized = raw;
        else { resized = new ImageU8(w, h, raw.Channels); Resampler.Resize(raw, resized); }
        if (resized.Channels != Channels) resized = ColorConversions.ToChannels(resized, Channels);
        return Interlocked.CompareExchange(ref _cache[index], resized, null) ?? resized;
    }
}
