using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    // Per clean byte v, _rows[v]: the index of its first alias cell (high 32 bits) and its cell count, the width of its
    // results' support (low 32 bits). One alias cell c per result, keeping its own result with probability t / 2^32
    // (t >= 1: a cell never kept has its alias as its own result), packed as 2c << 32 | (2^32 - t); its own result
    // and its alias are _outcomes[2c] and _outcomes[2c + 1].
    private readonly ulong[] _rows = new ulong[256];
    private readonly ulong[] _cells;
    private readonly byte[] _outcomes;

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
            _rows[v] = (ulong)total << 32 | (uint)(high - low + 1);
            total += high - low + 1;
        }
        var threshold = new uint[total];
        var result = new byte[total];
        var alias = new byte[total];
        var small = new Stack<int>(); var large = new Stack<int>();
        for (int v = 0; v < 256; v++)
        {
            var (low, p) = rows[v];
            int n = p.Length, start = (int)(_rows[v] >> 32);
            double sum = 0;
            foreach (double q in p) sum += q < Negligible ? 0 : q;
            var scaled = new double[n];
            small.Clear(); large.Clear();
            for (int b = 0; b < n; b++)
            {
                scaled[b] = (p[b] < Negligible ? 0 : p[b]) / sum * n;
                (scaled[b] < 1 ? small : large).Push(b);
            }
            for (int b = 0; b < n; b++) { result[start + b] = (byte)(low + b); alias[start + b] = (byte)(low + b); threshold[start + b] = uint.MaxValue; }
            while (small.Count > 0 && large.Count > 0)
            {
                int sm = small.Pop(), l = large.Pop();
                threshold[start + sm] = (uint)Math.Min(uint.MaxValue, Math.Round(scaled[sm] * 4294967296.0));
                alias[start + sm] = (byte)(low + l);
                scaled[l] = scaled[l] + scaled[sm] - 1;
                (scaled[l] < 1 ? small : large).Push(l);
            }
        }
        _cells = new ulong[total];
        _outcomes = new byte[2 * total];
        for (int c = 0; c < total; c++)
        {
            uint t = threshold[c];
            _outcomes[2 * c] = t == 0 ? alias[c] : result[c];
            _outcomes[2 * c + 1] = alias[c];
            _cells[c] = (ulong)(2 * c) << 32 | (0x1_0000_0000UL - Math.Max(t, 1u));
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
    /// per draw (the high 32 bits pick the cell, the low 32 decide between it and its alias).
    /// </summary>
    public void Sample(ReadOnlySpan<byte> clean, Span<byte> noisy, int count, ref PixMixRandom rng)
    {
        int n = clean.Length;
        if (noisy.Length < (long)n * count) throw new ArgumentException($"{count} noisy copies of {n} values need {(long)n * count} bytes.", nameof(noisy));
        ref ulong rows = ref MemoryMarshal.GetArrayDataReference(_rows);
        ref ulong allCells = ref MemoryMarshal.GetArrayDataReference(_cells);
        ref byte outcomes = ref MemoryMarshal.GetArrayDataReference(_outcomes);
        ref byte source = ref MemoryMarshal.GetReference(clean);
        ref byte target = ref MemoryMarshal.GetReference(noisy);
        var local = rng; // a local copy of the generator's state can live in registers
        nint stride = n;
        for (nint k = 0; k < n; k++)
        {
            ulong row = Unsafe.Add(ref rows, Unsafe.Add(ref source, k));
            ref ulong cells = ref Unsafe.Add(ref allCells, (nint)(row >> 32));
            ulong width = (uint)row;
            ref byte o = ref Unsafe.Add(ref target, k);
            int f = 0;
            for (; f + 1 < count; f += 2, o = ref Unsafe.Add(ref o, 2 * stride))
            {
                o = Draw(ref local, ref cells, ref outcomes, width);
                Unsafe.Add(ref o, stride) = Draw(ref local, ref cells, ref outcomes, width);
            }
            if (f < count) o = Draw(ref local, ref cells, ref outcomes, width);
        }
        rng = local;
    }

    // The noisy byte of one draw r, branch-free and without bounds checks, exactly the plain alias lookup: cell
    // c = floor(hi32(r) width / 2^32) of the value's cells; lo32(r) + 2^32 - t carries into bit 32 exactly when
    // lo32(r) >= t, so (cell + lo32(r)) >> 32 is 2c (the cell's own result) when lo32(r) < t, else 2c + 1 (its alias).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Draw(ref PixMixRandom rng, ref ulong cells, ref byte outcomes, ulong width)
    {
        ulong r = rng.NextUInt64();
        ulong cell = Unsafe.Add(ref cells, (nint)(((r >> 32) * width) >> 32));
        return Unsafe.Add(ref outcomes, (nint)((cell + (uint)r) >> 32));
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
