namespace PixMix.Imaging.Perturbations;

/// <summary>
/// The noises of the perturbation sequences sampled by table: the noisy byte of a clean byte v depends only on v and
/// one random draw, so for each v the distribution of the result byte (over 0..255) is computed once, exactly from the
/// noise's law, and sampled with Walker's alias method (one uniform draw per value).
/// Gaussian: floor(255 clip(x + sigma N(0, 1))); shot: floor(255 clip(Poisson(c x) / c)); speckle:
/// floor(255 clip(x + x sigma N(0, 1))), x = v / 255.
/// </summary>
internal sealed class NoiseTables
{
    private static readonly Lazy<NoiseTables>[] s_tables = Build();

    private readonly float[] _probability = new float[256 * 256];
    private readonly byte[] _alias = new byte[256 * 256];

    private NoiseTables(Func<int, double[]> distribution)
    {
        var small = new Stack<int>(); var large = new Stack<int>();
        var scaled = new double[256];
        for (int v = 0; v < 256; v++)
        {
            var p = distribution(v);
            double total = 0;
            foreach (double q in p) total += q;
            small.Clear(); large.Clear();
            for (int b = 0; b < 256; b++)
            {
                scaled[b] = p[b] / total * 256;
                (scaled[b] < 1 ? small : large).Push(b);
            }
            int row = v * 256;
            while (small.Count > 0 && large.Count > 0)
            {
                int s = small.Pop(), l = large.Pop();
                _probability[row + s] = (float)scaled[s];
                _alias[row + s] = (byte)l;
                scaled[l] = scaled[l] + scaled[s] - 1;
                (scaled[l] < 1 ? small : large).Push(l);
            }
            while (large.Count > 0) { int l = large.Pop(); _probability[row + l] = 1; _alias[row + l] = (byte)l; }
            while (small.Count > 0) { int s = small.Pop(); _probability[row + s] = 1; _alias[row + s] = (byte)s; }
        }
    }

    /// <summary>The table of a noise (gaussian, shot or speckle) at a level (1..3).</summary>
    public static NoiseTables For(PerturbationKind kind, int level)
    {
        int family = kind switch
        {
            PerturbationKind.GaussianNoise => 0,
            PerturbationKind.ShotNoise => 1,
            PerturbationKind.SpeckleNoise => 2,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "kind is not a noise."),
        };
        return s_tables[family * 3 + level - 1].Value;
    }

    /// <summary>A noisy version of <paramref name="clean"/>, one alias draw per value.</summary>
    public void Sample(ReadOnlySpan<byte> clean, Span<byte> noisy, ref PixMixRandom rng)
    {
        for (int k = 0; k < clean.Length; k++)
        {
            ulong r = rng.NextUInt64();
            int column = (int)(r >> 56);
            float u = (r & 0xFFFFFF) * (1f / (1 << 24));
            int cell = clean[k] * 256 + column;
            noisy[k] = u < _probability[cell] ? (byte)column : _alias[cell];
        }
    }

    private static Lazy<NoiseTables>[] Build()
    {
        double[] gaussian = [0.02, 0.04, 0.06], shot = [700, 400, 200], speckle = [0.05, 0.07, 0.1];
        var tables = new Lazy<NoiseTables>[9];
        for (int l = 0; l < 3; l++)
        {
            double g = gaussian[l], c = shot[l], s = speckle[l];
            tables[l] = new(() => new NoiseTables(v => Normal(v / 255.0, g, scaleByValue: false)));
            tables[3 + l] = new(() => new NoiseTables(v => Poisson(v / 255.0, c)));
            tables[6 + l] = new(() => new NoiseTables(v => Normal(v / 255.0, s, scaleByValue: true)));
        }
        return tables;
    }

    // Result byte b holds the values in [b / 255, (b + 1) / 255); 255 holds 1 and everything clipped above.
    private static double[] Normal(double x, double sigma, bool scaleByValue)
    {
        var p = new double[256];
        double spread = scaleByValue ? sigma * x : sigma;
        if (spread == 0) { p[Byte(x)] = 1; return p; }
        double previous = 0;
        for (int b = 0; b < 255; b++)
        {
            double cdf = StandardNormalCdf(((b + 1) / 255.0 - x) / spread);
            p[b] = Math.Max(0, cdf - previous);
            previous = Math.Max(previous, cdf);
        }
        p[255] = Math.Max(0, 1 - previous);
        return p;
    }

    private static double[] Poisson(double x, double rate)
    {
        var p = new double[256];
        double lambda = x * rate;
        if (lambda == 0) { p[0] = 1; return p; }
        double pk = Math.Exp(-lambda);
        int limit = (int)(lambda + 12 * Math.Sqrt(lambda) + 30);
        for (int k = 0; k <= limit; k++)
        {
            if (k > 0) pk *= lambda / k;
            p[Byte(k / rate)] += pk;
        }
        return p;
    }

    private static int Byte(double v) => (int)((v < 0 ? 0 : v > 1 ? 1 : v) * 255);

    /// <summary>Phi(z) through erfc with the Abramowitz and Stegun 7.1.26 approximation (absolute error below 1.5e-7).</summary>
    private static double StandardNormalCdf(double z)
    {
        double x = Math.Abs(z) / Math.Sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.Exp(-x * x);
        return z >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
    }
}
