using System.Runtime.CompilerServices;

namespace PixMix.Imaging;

/// <summary>
/// A small, fast, reproducible random generator (xoshiro256**, seeded through SplitMix64). A stream is derived
/// from (seed, epoch, index) with <see cref="For"/>, so the augmentation of image <c>index</c> in epoch
/// <c>epoch</c> is the same whatever the thread that computes it and the order of the images.
/// It is a mutable struct: pass it by <c>ref</c>.
/// </summary>
public struct PixMixRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator seeded from one 64-bit value.</summary>
    public PixMixRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
        if ((_s0 | _s1 | _s2 | _s3) == 0) _s0 = 1;
    }

    /// <summary>The stream of item <paramref name="index"/> in pass <paramref name="epoch"/> of a run seeded <paramref name="seed"/>.</summary>
    public static PixMixRandom For(long seed, long epoch, long index, ulong stream = 0)
    {
        ulong h = Mix((ulong)seed ^ 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ (ulong)epoch * 0xBF58476D1CE4E5B9UL);
        h = Mix(h ^ (ulong)index * 0x94D049BB133111EBUL);
        h = Mix(h ^ stream);
        return new PixMixRandom(h);
    }

    /// <summary>The full state, to save in checkpoints.</summary>
    public readonly (ulong, ulong, ulong, ulong) State => (_s0, _s1, _s2, _s3);

    /// <summary>Restores a state saved from <see cref="State"/>.</summary>
    public static PixMixRandom FromState((ulong, ulong, ulong, ulong) s)
    {
        var r = default(PixMixRandom);
        (r._s0, r._s1, r._s2, r._s3) = s;
        if ((r._s0 | r._s1 | r._s2 | r._s3) == 0) r._s0 = 1;
        return r;
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        return Mix(x);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform float in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1U << 24));

    /// <summary>Uniform in [lo, hi).</summary>
    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    /// <summary>Uniform integer in [0, n) (unbiased, Lemire's method).</summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(n));
        ulong m = (ulong)(uint)NextUInt64() * (ulong)n;
        uint l = (uint)m;
        if (l < (uint)n)
        {
            uint t = (uint)(-n) % (uint)n;
            while (l < t) { m = (ulong)(uint)NextUInt64() * (ulong)n; l = (uint)m; }
        }
        return (int)(m >> 32);
    }

    /// <summary>Uniform integer in [lo, hi] inclusive.</summary>
    public int NextIntInclusive(int lo, int hi) => lo + NextInt(hi - lo + 1);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Bernoulli(double p = 0.5) => NextDouble() < p;

    /// <summary>Standard normal (Marsaglia polar method).</summary>
    public double NextGaussian()
    {
        double u, v, s;
        do { u = 2 * NextDouble() - 1; v = 2 * NextDouble() - 1; s = u * u + v * v; } while (s >= 1 || s == 0);
        return u * Math.Sqrt(-2 * Math.Log(s) / s);
    }

    /// <summary>Gamma(shape, 1) by Marsaglia and Tsang (with the shape &lt; 1 boost).</summary>
    public double NextGamma(double shape)
    {
        if (!(shape > 0)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "shape must be > 0.");
        if (shape < 1)
        {
            double u = NextDouble();
            return NextGamma(shape + 1) * Math.Pow(u == 0 ? double.Epsilon : u, 1 / shape);
        }
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do { x = NextGaussian(); v = 1 + c * x; } while (v <= 0);
            v = v * v * v;
            double u = NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return d * v;
            if (Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>
    /// Beta(a, b). When a shape is 1 (PixMix's weights are Beta(beta, 1) and Beta(1, beta)) the inverse of the CDF is
    /// exact and takes one uniform U on (0, 1]: Beta(a, 1) = U^(1/a), Beta(1, b) = 1 - U^(1/b). Otherwise
    /// X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
    /// </summary>
    public double NextBeta(double a, double b)
    {
        if (!(a > 0) || !(b > 0)) throw new ArgumentOutOfRangeException(!(a > 0) ? nameof(a) : nameof(b), $"Beta shapes must be > 0; got a = {a}, b = {b}.");
        if (b == 1) return Math.Pow(1 - NextDouble(), 1 / a);
        if (a == 1) return 1 - Math.Pow(1 - NextDouble(), 1 / b);
        double x = NextGamma(a), y = NextGamma(b);
        return x / (x + y);
    }

    /// <summary>Poisson(lambda): Knuth's method for small lambda, a rounded normal approximation corrected by PTRS for large.</summary>
    public int NextPoisson(double lambda)
    {
        if (lambda < 0 || double.IsNaN(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda));
        if (lambda == 0) return 0;
        if (lambda < 30)
        {
            double l = Math.Exp(-lambda), p = 1; int k = 0;
            do { k++; p *= NextDouble(); } while (p > l);
            return k - 1;
        }
        // Hormann's PTRS transformed rejection.
        double slam = Math.Sqrt(lambda), loglam = Math.Log(lambda);
        double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b, invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
        while (true)
        {
            double u = NextDouble() - 0.5, v = NextDouble(), us = 0.5 - Math.Abs(u);
            int k = (int)Math.Floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.Log(v) + Math.Log(invalpha) - Math.Log(a / (us * us) + b) <= -lambda + k * loglam - LogFactorial(k)) return k;
        }
    }

    private static double LogFactorial(int k)
    {
        if (k < 2) return 0;
        // Stirling series, accurate for k >= 2 to well below 1e-8 relative.
        double x = k + 1.0;
        return (x - 0.5) * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI) + 1.0 / (12 * x) - 1.0 / (360 * x * x * x);
    }
}
