using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PixMix.Imaging.Mixing;

/// <summary>The two PixMix mixing operations on images as floats in [0, 1], and their random weights.</summary>
public static class MixingOps
{
    /// <summary>
    /// The mixing weights: with probability 0.5, a ~ Beta(beta, 1) and b ~ Beta(1, beta); otherwise
    /// a = 1 + Beta(1, beta) and b = -Beta(1, beta) (two independent draws).
    /// </summary>
    public static (float A, float B) SampleWeights(double beta, ref PixMixRandom rng)
    {
        if (rng.NextDouble() < 0.5)
        {
            double a = rng.NextBeta(beta, 1), b = rng.NextBeta(1, beta);
            return ((float)a, (float)b);
        }
        double a2 = 1 + rng.NextBeta(1, beta), b2 = -rng.NextBeta(1, beta);
        return ((float)a2, (float)b2);
    }

    /// <summary>
    /// add: out = (a(2x1 - 1) + b(2x2 - 1) + 1) / 2, clipped to [0, 1]. <paramref name="x1"/> may alias <paramref name="destination"/>.
    /// </summary>
    public static void Add(ReadOnlySpan<float> x1, ReadOnlySpan<float> x2, Span<float> destination, float a, float b)
    {
        CheckLengths(x1, x2, destination);
        // a(2x1-1) + b(2x2-1) + 1, halved  ==  a*x1 + b*x2 + (1 - a - b)/2
        float c = (1f - a - b) * 0.5f;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a); var vb = Vector256.Create(b); var vc = Vector256.Create(c);
            var zero = Vector256<float>.Zero; var one = Vector256<float>.One;
            ref float p1 = ref MemoryMarshal.GetReference(x1);
            ref float p2 = ref MemoryMarshal.GetReference(x2);
            ref float pd = ref MemoryMarshal.GetReference(destination);
            for (; i <= x1.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = va * Vector256.LoadUnsafe(ref p1, (nuint)i) + vb * Vector256.LoadUnsafe(ref p2, (nuint)i) + vc;
                Vector256.Min(Vector256.Max(v, zero), one).StoreUnsafe(ref pd, (nuint)i);
            }
        }
        for (; i < x1.Length; i++)
            destination[i] = Math.Clamp(a * x1[i] + b * x2[i] + c, 0f, 1f);
    }

    /// <summary>
    /// multiply: out = (2x1)^a * max(2x2, 1e-37)^b / 2, clipped to [0, 1]. Computed as 2^(a log2(2x1) + b log2(max(2x2, 1e-37)) - 1)
    /// with vectorized log2/exp2 (relative error about 2e-6); 0 where x1 = 0 (a &gt; 0). <paramref name="x1"/> may alias <paramref name="destination"/>.
    /// </summary>
    public static void Multiply(ReadOnlySpan<float> x1, ReadOnlySpan<float> x2, Span<float> destination, float a, float b)
    {
        CheckLengths(x1, x2, destination);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a); var vb = Vector256.Create(b);
            var two = Vector256.Create(2f); var tiny = Vector256.Create(1e-37f); var half = Vector256.Create(0.5f);
            var zero = Vector256<float>.Zero; var one = Vector256<float>.One;
            ref float p1 = ref MemoryMarshal.GetReference(x1);
            ref float p2 = ref MemoryMarshal.GetReference(x2);
            ref float pd = ref MemoryMarshal.GetReference(destination);
            for (; i <= x1.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var u = Vector256.LoadUnsafe(ref p1, (nuint)i) * two;
                var w = Vector256.Max(Vector256.LoadUnsafe(ref p2, (nuint)i) * two, tiny);
                // (2x1)^a (2x2)^b / 2 = 2^(a log2(2x1) + b log2(2x2) - 1); where x1 = 0 the result is 0 (a > 0).
                var e = va * FastMath.Log2(Vector256.Max(u, tiny)) + vb * FastMath.Log2(w) - one;
                var v = Vector256.ConditionalSelect(Vector256.Equals(u, zero), zero, FastMath.Exp2(e));
                Vector256.Min(Vector256.Max(v, zero), one).StoreUnsafe(ref pd, (nuint)i);
            }
        }
        for (; i < x1.Length; i++)
            destination[i] = Math.Clamp(MultiplyScalar(x1[i], x2[i], a, b), 0f, 1f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float MultiplyScalar(float x1, float x2, float a, float b)
        => MathF.Pow(2 * x1, a) * MathF.Pow(MathF.Max(2 * x2, 1e-37f), b) * 0.5f;

    private static void CheckLengths(ReadOnlySpan<float> x1, ReadOnlySpan<float> x2, Span<float> d)
    {
        if (x2.Length != x1.Length) throw new ArgumentException($"x2 has {x2.Length} values, x1 has {x1.Length}.", nameof(x2));
        if (d.Length != x1.Length) throw new ArgumentException($"destination has {d.Length} values, x1 has {x1.Length}.", "destination");
    }
}
