using PixMix.Imaging.Transforms;

namespace PixMix.Imaging.Mixing;

/// <summary>
/// One input image to one normalized CHW float tensor, for training (<see cref="Augment"/>: train transform, PixMix,
/// normalize) or for evaluation (<see cref="Evaluate"/>: the deterministic transform and normalize, never any
/// randomness). Thread-safe given one <see cref="Workspace"/> per thread; allocation-free in steady state.
/// </summary>
public sealed class PixMixImageProcessor
{
    private readonly PixMixAugmenter _augmenter;
    private readonly MixingPictureSampler _mixing;
    private readonly float[] _mean, _std;

    /// <summary>Creates a processor whose outputs have <paramref name="channels"/> channels and the recipe's size.</summary>
    public PixMixImageProcessor(PixMixRecipe recipe, MixingSet mixingSet, int channels)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        recipe.Validate();
        if (channels != 1 && channels != 3) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 or 3.");
        Recipe = recipe; Channels = channels;
        _augmenter = new PixMixAugmenter(recipe.Parameters);
        _mixing = new MixingPictureSampler(mixingSet, recipe.MixingResize, recipe.Size, recipe.Size, channels);
        _mean = Expand(recipe.Mean, channels); _std = Expand(recipe.Std, channels);
    }

    private static float[] Expand(float[] v, int channels) => v.Length == channels ? v : v.Length == 1 ? Enumerable.Repeat(v[0], channels).ToArray()
        : channels == 1 ? [v.Average()] : throw new ArgumentException($"normalization has {v.Length} values for {channels} channels.");

    /// <summary>The recipe.</summary>
    public PixMixRecipe Recipe { get; }
    /// <summary>Output channels.</summary>
    public int Channels { get; }
    /// <summary>Output length: Channels * Size * Size.</summary>
    public int OutputLength => Channels * Recipe.Size * Recipe.Size;
    /// <summary>The mixing picture sampler.</summary>
    public MixingPictureSampler Mixing => _mixing;
    /// <summary>The PixMix augmenter.</summary>
    public PixMixAugmenter Augmenter => _augmenter;

    /// <summary>Training: train transform, PixMix with a mixing picture (unless <see cref="PixMixRecipe.UsePixMix"/> is off), normalize, into <paramref name="output"/> (CHW).</summary>
    public void Augment(ImageU8 input, Span<float> output, ref PixMixRandom rng, Workspace ws)
    {
        CheckOutput(output);
        var x = ws.Prepare(Recipe.Size, Channels);
        var src = ws.InChannels(input, Channels);
        switch (Recipe.TrainTransform)
        {
            case TrainTransform.CifarCropFlip:
                if (src.Width + 2 * Recipe.CropPadding < Recipe.Size || src.Height + 2 * Recipe.CropPadding < Recipe.Size)
                {
                    // Too small to crop: resize the shorter side to the crop size, centre-crop, then flip.
                    var (w, h) = ImageTransforms.ShorterSideSize(src.Width, src.Height, Recipe.Size);
                    var resized = ws.Resized(Math.Max(w, Recipe.Size), Math.Max(h, Recipe.Size), Channels);
                    Resampler.Resize(src, resized);
                    ImageTransforms.CenterCrop(resized, ws.Scratch);
                    ImageTransforms.RandomHorizontalFlip(ws.Scratch, x, ref rng);
                }
                else ImageTransforms.RandomCropFlip(src, x, Recipe.CropPadding, ref rng);
                break;
            case TrainTransform.ImageNetResizedCropFlip:
                ImageTransforms.RandomResizedCropFlip(src, x, ref rng);
                break;
            default:
                Fit(src, x);
                break;
        }
        if (Recipe.UsePixMix)
        {
            _mixing.Sample(ref rng, ws.MixingPicture);
            _augmenter.Augment(x, ws.MixingPicture, output, _mean, _std, ref rng, ws.PixMix);
        }
        else PixelLayout.ToPlanar(x.Span, output, Channels, _mean, _std);
    }

    /// <summary>Evaluation: the deterministic transform and normalization only (no randomness).</summary>
    public void Evaluate(ImageU8 input, Span<float> output, Workspace ws)
    {
        CheckOutput(output);
        var x = ws.Prepare(Recipe.Size, Channels);
        var src = ws.InChannels(input, Channels);
        if (Recipe.TrainTransform == TrainTransform.ImageNetResizedCropFlip)
        {
            int shorter = (int)Math.Round(Recipe.Size * 256.0 / 224.0);
            var (w, h) = ImageTransforms.ShorterSideSize(src.Width, src.Height, shorter);
            var resized = ws.Resized(w, h, Channels);
            Resampler.Resize(src, resized);
            ImageTransforms.CenterCrop(resized, x);
        }
        else Fit(src, x);
        PixelLayout.ToPlanar(x.Span, output, Channels, _mean, _std);
    }

    private void Fit(ImageU8 src, ImageU8 dst)
    {
        if (src.Width == dst.Width && src.Height == dst.Height) { src.CopyTo(dst); return; }
        if (src.Width >= dst.Width && src.Height >= dst.Height) { ImageTransforms.CenterCrop(src, dst); return; }
        Resampler.Resize(src, dst);
    }

    private void CheckOutput(Span<float> output)
    {
        if (output.Length != OutputLength) throw new ArgumentException($"output has {output.Length} values, expected {OutputLength} ({Channels}x{Recipe.Size}x{Recipe.Size}).", nameof(output));
    }

    /// <summary>Per-thread scratch of a <see cref="PixMixImageProcessor"/>.</summary>
    public sealed class Workspace
    {
        private ImageU8? _x, _scratch, _mixPic, _converted, _resized;

        /// <summary>Scratch for the PixMix sampler.</summary>
        public PixMixWorkspace PixMix { get; } = new();
        internal ImageU8 Scratch => _scratch!;
        internal ImageU8 MixingPicture => _mixPic!;

        internal ImageU8 Prepare(int size, int channels)
        {
            if (_x is null || _x.Width != size || _x.Channels != channels)
            {
                _x = new ImageU8(size, size, channels);
                _scratch = new ImageU8(size, size, channels);
                _mixPic = new ImageU8(size, size, channels);
            }
            return _x;
        }

        internal ImageU8 InChannels(ImageU8 input, int channels)
        {
            if (input.Channels == channels) return input;
            if (_converted is null || _converted.Width != input.Width || _converted.Height != input.Height || _converted.Channels != channels)
                _converted = new ImageU8(input.Width, input.Height, channels);
            ColorConversions.Convert(input, _converted);
            return _converted;
        }

        internal ImageU8 Resized(int w, int h, int channels)
        {
            if (_resized is null || _resized.Width != w || _resized.Height != h || _resized.Channels != channels)
                _resized = new ImageU8(w, h, channels);
            return _resized;
        }
    }
}
