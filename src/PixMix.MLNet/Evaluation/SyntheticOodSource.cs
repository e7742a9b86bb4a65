namespace PixMix.MLNet.Evaluation;

/// <summary>
/// Synthetic out-of-distribution images (Gaussian noise, Rademacher noise, blobs), generated on demand: image
/// <c>i</c> depends only on (seed, kind, i), so reads are deterministic, thread-safe and in any order.
/// </summary>
/// <remarks>
/// <para>The three sets are those of the Outlier Exposure evaluation (Hendrycks et al., ICLR 2019), which the PixMix
/// paper's anomaly detection follows. That code draws them directly in the network's input space, [-1, 1] (the CIFAR
/// normalization of PixMix, mean 0.5 and std 0.5, maps a pixel value x in [0, 1] to 2x - 1), one value per pixel and
/// channel, independently:</para>
/// <list type="bullet">
/// <item><description>Gaussian: N(0, 0.5^2) clipped to [-1, 1]. Here: N(0.5, 0.25^2) clipped to [0, 1], the same
/// distribution before the normalization.</description></item>
/// <item><description>Rademacher: -1 or +1 with probability one half each. Here: 0 or 1.</description></item>
/// <item><description>Blobs: each value 1 with probability 0.7 (else 0), the 32 x 32 x 3 volume blurred with a
/// Gaussian of sigma 1.5 along all three axes (scikit-image's <c>gaussian(image, sigma=1.5, multichannel=False)</c> of
/// the releases that code was written for: scipy's <c>gaussian_filter(volume, 1.5, mode="nearest", truncate=4)</c>;
/// scikit-image 0.19 maps that call to a per-channel 2-D blur instead), values below 0.75 set to 0, then mapped to
/// [-1, 1] by 2x - 1. Here: the same in [0, 1].</description></item>
/// </list>
/// <para>The images are stored as bytes (round(255 x)) and reach the network through the model's own transform, the
/// same normalization as the in-distribution images; the only difference from the reference is that 8-bit rounding
/// (at most 1/255 in the input space). The Outlier Exposure evaluation uses a fifth as many images per set as the
/// in-distribution test set has.</para>
/// </remarks>
public sealed class SyntheticOodSource : IImageSource
{
    private const double BlobProbability = 0.7, BlobSigma = 1.5, BlobThreshold = 0.75;
    private static readonly float[] BlobKernel = GaussianKernel(BlobSigma, 4.0);
    private readonly long _seed;

    /// <summary>Creates a source of <paramref name="count"/> images.</summary>
    public SyntheticOodSource(SyntheticOodKind kind, long count, int width, int height, int channels = 3, long seed = 1)
    {
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown synthetic OOD kind.");
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, nameof(count));
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1, nameof(width));
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1, nameof(height));
        if (channels != 1 && channels != 3) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 or 3.");
        Kind = kind; Count = count; Width = width; Height = height; Channels = channels; _seed = seed;
    }

    /// <summary>The kind of noise.</summary>
    public SyntheticOodKind Kind { get; }
    /// <inheritdoc />
    public long Count { get; }
    /// <inheritdoc />
    public int Width { get; }
    /// <inheritdoc />
    public int Height { get; }
    /// <inheritdoc />
    public int Channels { get; }
    /// <inheritdoc />
    public bool HasLabels => false;
    /// <inheritdoc />
    public IReadOnlyList<string>? ClassNames => null;

    /// <summary>A short name for reports: <c>gaussian</c>, <c>rademacher</c> or <c>blobs</c>.</summary>
    public string Name => Kind switch
    {
        SyntheticOodKind.Gaussian => "gaussian",
        SyntheticOodKind.Rademacher => "rademacher",
        _ => "blobs",
    };

    /// <summary>
    /// The three synthetic sets of the benchmark (gaussian, rademacher, blobs) as out-of-distribution sets of
    /// <paramref name="count"/> images each, the size of the in-distribution images.
    /// </summary>
    public static IReadOnlyList<OutOfDistributionSet> CreateAll(long count, int width, int height, int channels = 3, long seed = 1)
        => Enum.GetValues<SyntheticOodKind>()
            .Select(k => new SyntheticOodSource(k, count, width, height, channels, seed))
            .Select(s => new OutOfDistributionSet(s.Name, s))
            .ToList();

    /// <inheritdoc />
    public int ReadLabel(long index) => throw new NotSupportedException("Synthetic out-of-distribution images have no labels.");

    /// <inheritdoc />
    public void ReadImage(long index, Span<byte> destination)
    {
        if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {Count}).");
        int length = Width * Height * Channels;
        if (destination.Length < length) throw new ArgumentException($"destination needs {length} bytes, has {destination.Length}.", nameof(destination));
        var rng = PixMixRandom.For(_seed, 0, index, (ulong)Kind + 0x00D5UL);
        switch (Kind)
        {
            case SyntheticOodKind.Gaussian:
                for (int i = 0; i < length; i++)
                    destination[i] = ToByte(0.5 + 0.25 * rng.NextGaussian());
                break;
            case SyntheticOodKind.Rademacher:
                for (int i = 0; i < length; i++)
                    destination[i] = rng.Bernoulli(0.5) ? (byte)255 : (byte)0;
                break;
            default:
                WriteBlobs(ref rng, destination[..length]);
                break;
        }
    }

    private void WriteBlobs(ref PixMixRandom rng, Span<byte> destination)
    {
        var volume = new float[destination.Length];
        for (int i = 0; i < volume.Length; i++) volume[i] = rng.Bernoulli(BlobProbability) ? 1f : 0f;
        BlurVolume(volume, Height, Width, Channels, BlobKernel);
        for (int i = 0; i < volume.Length; i++)
        {
            double v = volume[i];
            destination[i] = ToByte(v < BlobThreshold ? 0 : v);
        }
    }

    /// <summary>Blurs an H x W x C volume (HWC order) in place along its three axes, nearest-edge extension.</summary>
    internal static void BlurVolume(float[] volume, int h, int w, int c, float[] kernel)
    {
        var tmp = new float[volume.Length];
        BlurAxis(volume, tmp, h, w, c, kernel, axis: 0);
        BlurAxis(tmp, volume, h, w, c, kernel, axis: 1);
        BlurAxis(volume, tmp, h, w, c, kernel, axis: 2);
        tmp.CopyTo(volume, 0);
    }

    // Blurs src into dst along axis 0 (y), 1 (x) or 2 (channel).
    private static void BlurAxis(float[] src, float[] dst, int h, int w, int c, float[] kernel, int axis)
    {
        int radius = kernel.Length / 2;
        int length = axis == 0 ? h : axis == 1 ? w : c;
        int stride = axis == 0 ? w * c : axis == 1 ? c : 1;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int k = 0; k < c; k++)
                {
                    int index = (y * w + x) * c + k;
                    int position = axis == 0 ? y : axis == 1 ? x : k;
                    int origin = index - position * stride;
                    double s = 0;
                    for (int t = -radius; t <= radius; t++)
                        s += kernel[t + radius] * src[origin + Math.Clamp(position + t, 0, length - 1) * stride];
                    dst[index] = (float)s;
                }
    }

    internal static float[] GaussianKernel(double sigma, double truncate)
    {
        int radius = (int)(truncate * sigma + 0.5);
        var k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) { k[i + radius] = Math.Exp(-0.5 * i * i / (sigma * sigma)); sum += k[i + radius]; }
        return k.Select(v => (float)(v / sum)).ToArray();
    }

    private static byte ToByte(double v) => (byte)Math.Round(Math.Clamp(v, 0, 1) * 255, MidpointRounding.AwayFromZero);
}
