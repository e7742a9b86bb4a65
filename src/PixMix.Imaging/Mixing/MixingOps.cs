using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PixMix.Imaging.Mixing;

/// <summary>
/// The two PixMix mixing operations on images as floats in [0, 1], and their random weights. The mixing is
/// element-wise, so any layout works (the augmenter mixes interleaved HWC images); the second image may be given
/// as 8-bit pixels, read as x / 255, which saves converting it first.
/// </summary>
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
        // a(2x1-1) + b(2x2-1) + 1, halved  ==  a*x1 + b*x2 + (1 - a - b)/2
        => Mix(x1, x2, destination, new AddOp(a, b, AddOffset(a, b)));

    /// <summary>add with the second image as 8-bit pixels (x2 / 255). <paramref name="x1"/> may alias <paramref name="destination"/>.</summary>
    public static void Add(ReadOnlySpan<float> x1, ReadOnlySpan<byte> x2, Span<float> destination, float a, float b)
    {
        CheckLengths(x1.Length, x2.Length, destination.Length);
        float c = AddOffset(a, b);
        int i = 0;
        if (Avx2.IsSupported && Fma.IsSupported)
        {
            ref float p1 = ref MemoryMarshal.GetReference(x1);
            ref byte p2 = ref MemoryMarshal.GetReference(x2);
            ref float pd = ref MemoryMarshal.GetReference(destination);
            for (; i <= x1.Length - 8; i += 8)
                AddVector(Vector256.LoadUnsafe(ref p1, (nuint)i), PixelLayout.LoadUnit8(ref Unsafe.Add(ref p2, i)), a, b, c).StoreUnsafe(ref pd, (nuint)i);
        }
        for (; i < x1.Length; i++) destination[i] = AddScalar(x1[i], x2[i] / 255f, a, b, c);
    }

    /// <summary>
    /// multiply: out = (2x1)^a * max(2x2, 1e-37)^b / 2, clipped to [0, 1]. Computed as 2^(a log2(2x1) + b log2(max(2x2, 1e-37)) - 1)
    /// with vectorized log2/exp2 (relative error below 1e-6); 0 where x1 = 0 (a &gt; 0). Results below 2^-125.5 (1.7e-38) are
    /// raised to it, so no subnormal float (slow to compute with) enters the following rounds (a subnormal x1 given by a
    /// caller counts as about 1.2e-38). <paramref name="x1"/> may alias <paramref name="destination"/>.
    /// </summary>
    public static void Multiply(ReadOnlySpan<float> x1, ReadOnlySpan<float> x2, Span<float> destination, float a, float b)
        => Mix(x1, x2, destination, new MultiplyOp(a, b));

    /// <summary>multiply with the second image as 8-bit pixels (x2 / 255). <paramref name="x1"/> may alias <paramref name="destination"/>.</summary>
    public static void Multiply(ReadOnlySpan<float> x1, ReadOnlySpan<byte> x2, Span<float> destination, float a, float b)
    {
        CheckLengths(x1.Length, x2.Length, destination.Length);
        int i = 0;
        if (Avx2.IsSupported && Fma.IsSupported)
        {
            // b log2(max(2k/255, 1e-37)) = b log2(max(k, 1e-37 * 255/2)) + b log2(2/255): the logarithm of the integer k,
            // and the constant folded into the exponent's offset.
            var vb = Vector256.Create(b);
            var offset = Vector256.Create((float)(b * Math.Log2(2.0 / 255) - 1));
            var tinyK = Vector256.Create((float)(1e-37 * 255 / 2));
            ref float p1 = ref MemoryMarshal.GetReference(x1);
            ref byte p2 = ref MemoryMarshal.GetReference(x2);
            ref float pd = ref MemoryMarshal.GetReference(destination);
            for (; i <= x1.Length - 8; i += 8)
            {
                var k = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p2, i))).AsByte()));
                var exponent = FastMath.MulAdd(vb, FastMath.Log2(Vector256.MaxNative(k, tinyK)), offset);
                MultiplyVector(Vector256.LoadUnsafe(ref p1, (nuint)i), exponent, a).StoreUnsafe(ref pd, (nuint)i);
            }
        }
        for (; i < x1.Length; i++) destination[i] = MultiplyScalar(x1[i], x2[i] / 255f, a, b);
    }

    /// <summary>One mixing operation on eight pixel values at a time and on one (the same arithmetic).</summary>
    private interface IMixOp
    {
        Vector256<float> Vector(Vector256<float> x1, Vector256<float> x2);
        float Scalar(float x1, float x2);
    }

    private readonly struct AddOp(float a, float b, float c) : IMixOp
    {
        public Vector256<float> Vector(Vector256<float> x1, Vector256<float> x2) => AddVector(x1, x2, a, b, c);
        public float Scalar(float x1, float x2) => AddScalar(x1, x2, a, b, c);
    }

    private readonly struct MultiplyOp(float a, float b) : IMixOp
    {
        public Vector256<float> Vector(Vector256<float> x1, Vector256<float> x2) => MultiplyVector(x1, x2, a, b);
        public float Scalar(float x1, float x2) => MultiplyScalar(x1, x2, a, b);
    }

    /// <summary>Applies <paramref name="op"/> element-wise, eight values at a time where the hardware allows, then the rest one by one.</summary>
    private static void Mix<TOp>(ReadOnlySpan<float> x1, ReadOnlySpan<float> x2, Span<float> destination, TOp op) where TOp : struct, IMixOp
    {
        CheckLengths(x1.Length, x2.Length, destination.Length);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float p1 = ref MemoryMarshal.GetReference(x1);
            ref float p2 = ref MemoryMarshal.GetReference(x2);
            ref float pd = ref MemoryMarshal.GetReference(destination);
            for (; i <= x1.Length - 8; i += 8)
                op.Vector(Vector256.LoadUnsafe(ref p1, (nuint)i), Vector256.LoadUnsafe(ref p2, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
        }
        for (; i < x1.Length; i++) destination[i] = op.Scalar(x1[i], x2[i]);
    }

    private static float AddOffset(float a, float b) => (1f - a - b) * 0.5f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float AddScalar(float x1, float x2, float a, float b, float c)
        => Math.Clamp(FastMath.MulAdd(a, x1, FastMath.MulAdd(b, x2, c)), 0f, 1f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> AddVector(Vector256<float> x1, Vector256<float> x2, float a, float b, float c)
    {
        var v = FastMath.MulAdd(Vector256.Create(a), x1, FastMath.MulAdd(Vector256.Create(b), x2, Vector256.Create(c)));
        return Vector256.MinNative(Vector256.MaxNative(v, Vector256<float>.Zero), Vector256<float>.One);
    }

    /// <summary>The smallest non-zero multiply result, as the vector path's exp2 gives it (below it floats turn subnormal).</summary>
    private static readonly float s_smallestProduct = (float)Math.Pow(2, FastMath.SmallestExponent);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float MultiplyScalar(float x1, float x2, float a, float b)
    {
        float v = MathF.Pow(2 * x1, a) * MathF.Pow(MathF.Max(2 * x2, 1e-37f), b) * 0.5f;
        return v > 0 && v < s_smallestProduct ? s_smallestProduct : Math.Min(v, 1f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyVector(Vector256<float> x1, Vector256<float> x2, float a, float b)
    {
        // b log2(max(2x2, 1e-37)) - 1
        var exponent = FastMath.MulAdd(Vector256.Create(b), FastMath.Log2(Vector256.MaxNative(x2 * Vector256.Create(2f), Vector256.Create(1e-37f))), Vector256.Create(-1f));
        return MultiplyVector(x1, exponent, a);
    }

    /// <summary>(2x1)^a * 2^exponent, clipped to [0, 1], where exponent carries the second image's part and the final halving.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyVector(Vector256<float> x1, Vector256<float> exponent, float a)
    {
        var zero = Vector256<float>.Zero;
        var u = x1 * Vector256.Create(2f);
        // (2x1)^a (2x2)^b / 2 = 2^(a log2(2x1) + b log2(2x2) - 1); where x1 = 0 the result is 0 (a > 0).
        // log2 of 0 comes out near -127 and is replaced by the select below; every other x1 here is a normal float.
        var e = FastMath.MulAdd(Vector256.Create(a), FastMath.Log2(u), exponent);
        // 2^e is positive: only the upper clip can act.
        var v = FastMath.Select(Vector256.Equals(u, zero), zero, FastMath.Exp2(e));
        return Vector256.MinNative(v, Vector256<float>.One);
    }

    private static void CheckLengths(int x1, int x2, int d)
    {
        if (x2 != x1) throw new ArgumentException($"x2 has {x2} values, x1 has {x1}.", nameof(x2));
        if (d != x1) throw new ArgumentException($"destination has {d} values, x1 has {x1}.", "destination");
    }
}
