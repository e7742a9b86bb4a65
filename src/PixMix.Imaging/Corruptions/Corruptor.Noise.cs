namespace PixMix.Imaging.Corruptions;

public static partial class Corruptor
{
    private static readonly double[] s_gaussianCifar = [0.04, 0.06, 0.08, 0.09, 0.10];
    private static readonly double[] s_gaussianImageNet = [0.08, 0.12, 0.18, 0.26, 0.38];
    private static readonly double[] s_shotCifar = [500, 250, 100, 75, 50];
    private static readonly double[] s_shotImageNet = [60, 25, 12, 5, 3];
    private static readonly double[] s_impulseCifar = [0.01, 0.02, 0.03, 0.05, 0.07];
    private static readonly double[] s_impulseImageNet = [0.03, 0.06, 0.09, 0.17, 0.27];
    private static readonly double[] s_speckleCifar = [0.06, 0.1, 0.12, 0.16, 0.2];
    private static readonly double[] s_speckleImageNet = [0.15, 0.2, 0.35, 0.45, 0.6];

    /// <summary>
    /// gaussian_noise: clip(x + N(0, sigma)) on every value, sigma = [.04, .06, .08, .09, .10] (CIFAR) or
    /// [.08, .12, .18, .26, .38] (ImageNet).
    /// </summary>
    public static void GaussianNoise(ImageU8 src, ImageU8 dst, int severity, ref PixMixRandom rng, CorruptionParameterSet set)
    {
        double sigma = Pick(set, s_gaussianCifar, s_gaussianImageNet, Check(src, dst, severity, set));
        var s = src.Span; var d = dst.Span;
        var normal = new NormalPairs();
        for (int i = 0; i < s.Length; i++) d[i] = ToByte(s[i] / 255.0 + sigma * normal.Next(ref rng));
    }

    /// <summary>
    /// shot_noise: Poisson(x c) / c on every value, c = [500, 250, 100, 75, 50] (CIFAR) or [60, 25, 12, 5, 3]
    /// (ImageNet); the variance of the change is x / c.
    /// </summary>
    public static void ShotNoise(ImageU8 src, ImageU8 dst, int severity, ref PixMixRandom rng, CorruptionParameterSet set)
    {
        double c = Pick(set, s_shotCifar, s_shotImageNet, Check(src, dst, severity, set));
        var s = src.Span; var d = dst.Span;
        for (int i = 0; i < s.Length; i++) d[i] = ToByte(rng.NextPoisson(s[i] / 255.0 * c) / c);
    }

    /// <summary>
    /// impulse_noise: salt-and-pepper noise as skimage's random_noise(mode="s&amp;p"): each value independently
    /// becomes 0 or 1 (equally likely) with probability amount = [.01, .02, .03, .05, .07] (CIFAR) or
    /// [.03, .06, .09, .17, .27] (ImageNet).
    /// </summary>
    public static void ImpulseNoise(ImageU8 src, ImageU8 dst, int severity, ref PixMixRandom rng, CorruptionParameterSet set)
    {
        double amount = Pick(set, s_impulseCifar, s_impulseImageNet, Check(src, dst, severity, set));
        var s = src.Span; var d = dst.Span;
        for (int i = 0; i < s.Length; i++)
        {
            bool flipped = rng.NextDouble() <= amount;
            bool salted = rng.NextDouble() <= 0.5;
            d[i] = flipped ? (salted ? (byte)255 : (byte)0) : ToByte(s[i] / 255.0);
        }
    }

    /// <summary>
    /// speckle_noise (extra): clip(x + x N(0, sigma)), sigma = [.06, .1, .12, .16, .2] (CIFAR) or
    /// [.15, .2, .35, .45, .6] (ImageNet).
    /// </summary>
    public static void SpeckleNoise(ImageU8 src, ImageU8 dst, int severity, ref PixMixRandom rng, CorruptionParameterSet set)
    {
        double sigma = Pick(set, s_speckleCifar, s_speckleImageNet, Check(src, dst, severity, set));
        var s = src.Span; var d = dst.Span;
        var normal = new NormalPairs();
        for (int i = 0; i < s.Length; i++)
        {
            double x = s[i] / 255.0;
            d[i] = ToByte(x + x * (sigma * normal.Next(ref rng)));
        }
    }

    /// <summary>Standard normal values two at a time (Marsaglia's polar method keeps both of its pair).</summary>
    private struct NormalPairs
    {
        private double _spare;
        private bool _hasSpare;

        public double Next(ref PixMixRandom rng)
        {
            if (_hasSpare) { _hasSpare = false; return _spare; }
            double u, v, s;
            do { u = 2 * rng.NextDouble() - 1; v = 2 * rng.NextDouble() - 1; s = u * u + v * v; } while (s >= 1 || s == 0);
            double f = Math.Sqrt(-2 * Math.Log(s) / s);
            _spare = v * f; _hasSpare = true;
            return u * f;
        }
    }
}
