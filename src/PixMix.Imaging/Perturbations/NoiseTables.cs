namespace PixMix.Imaging.Perturbations;

/// <summary>
/// The noises of the perturbation sequences sampled by table: the noisy byte of a clean byte v depends only on v and
/// one random draw, so for each v the distribution of the result byte (over 0..255) is computed once, exactly from the
/// noise's law (results below 1e-15 left out), and sampled with Walker's alias method (one 64-bit draw per value).
/// Gaussian: floor(255 clip(x + sigma N(0, 1))); shot: floor(255 clip(Poisson(c x) / c)); speckle:
/// floor(255 clip(x + x sigma N(0, 1))), x = v / 255.
/// </summary>
internal sealed class NoiseTables
{
    private static readonly Lazy<NoiseTables>[] s_tables = Build();

    // Per clean byte v: its results' support [_low[v], _low[v] + _width[v]) and, from _start[v], one alias cell per
    // result: the threshold (probability scaled to 2^32) of keeping the cell's own result, and the alias result.
    private readonly int[] _start = new int[256];
    private readonly int[] _width = new int[256];
    private readonly uint[] _threshold;
    private readonly byte[] _result;
    private readonly byte[] _alias;

    /// <summary>Results less likely than this are left out of a clean byte's table (the rest renormalized).</summary>
    private const double Negligible = 1e-15;

    private NoiseTables(Func<int, double[]> distribution)
    {
        var rows = new (int Low, double[] P)[256];
        int total = 0;
        for (int v = 0; v < 256; v++)
        {
            var p = distribution(v);
            int low = 0, high = 255;
            while (low < 255 && p[low] < Negligible) low++;
            while (high > low && p[high] < Negligible) high--;
            rows[v] = (low, p[low..(high + 1)]);
            _start[v] = total;
            _width[v] = high - low + 1;
            total += _width[v];
        }
        _threshold = new uint[total];
        _result = new byte[total];
        _alias = new byte[total];
        var small = new Stack<int>(); var large = new Stack<int>();
        for (int v = 0; v < 256; v++)
        {
            var (low, p) = rows[v];
            int n = p.Length, start = _start[v];
            double sum = 0;
            foreach (double q in p) sum += q < Negligible ? 0 : q;
            var scaled = new double[n];
            small.Clear(); large.Clear();
            for (int b = 0; b < n; b++)
            {
                scaled[b] = (p[b] < Negligible ? 0 : p[b]) / sum * n;
                (scaled[b] < 1 ? small : large).Push(b);
            }
            for (int b = 0; b < n; b++) { _result[start + b] = (byte)(low + b); _alias[start + b] = (byte)(low + b); _threshold[start + b] = uint.MaxValue; }
            while (small.Count > 0 && large.Count > 0)
            {
                int sm = small.Pop(), l = large.Pop();
                _threshold[start + sm] = (uint)Math.Min(uint.MaxValue, Math.Round(scaled[sm] * 4294967296.0));
                _alias[start + sm] = (byte)(low + l);
                scaled[l] = scaled[l] + scaled[sm] - 1;
                (scaled[l] < 1 ? small : large).Push(l);
            }
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

    /// <summary>
    /// Writes <paramref name="count"/> noisy versions of <paramref name="clean"/>, one after the other into
    /// <paramref name="noisy"/>: value by value, each value's <paramref name="count"/> draws in turn, one 64-bit draw
    /// per draw (32 bits pick the cell, 32 decide between it and its alias).
    /// </summary>
    public void Sample(ReadOnlySpan<byte> clean, Span<byte> noisy, int count, ref PixMixRandom rng)
    {
        int n = clean.Length;
        if (noisy.Length < (long)n * count) throw new ArgumentException($"{count} noisy copies of {n} values need {(long)n * count} bytes.", nameof(noisy));
        var threshold = _threshold; var result = _result; var alias = _alias;
        var local = rng; // a local copy of the generator's state can live in registers
        for (int k = 0; k < n; k++)
        {
            int v = clean[k];
            int start = _start[v];
            ulong width = (ulong)_width[v];
            for (int f = 0, o = k; f < count; f++, o += n)
            {
                ulong r = local.NextUInt64();
                int cell = start + (int)(((r >> 32) * width) >> 32);
                noisy[o] = (uint)r < threshold[cell] ? result[cell] : alias[cell];
            }
        }
        rng = local;
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
