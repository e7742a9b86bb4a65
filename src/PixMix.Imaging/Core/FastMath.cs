using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PixMix.Imaging;

/// <summary>
/// Vectorized base-2 logarithm and exponential for the PixMix multiply mix, accurate to about 1e-6 relative
/// (far below one 8-bit level) and several times faster than the general-purpose library functions. Polynomials
/// use fused multiply-adds where the processor has them.
/// </summary>
internal static class FastMath
{
    /// <summary>a * b + c, fused where the hardware supports it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c)
        => Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    /// <summary>The lower clamp of <see cref="Exp2"/>: 2^-125.5 (1.7e-38) is the smallest result, still a normal float.</summary>
    public const float SmallestExponent = -125.5f;

    /// <summary>a * b + c for one value, with the rounding of the vector <see cref="MulAdd(Vector256{float}, Vector256{float}, Vector256{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MulAdd(float a, float b, float c) => Fma.IsSupported ? MathF.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>mask ? whenTrue : whenFalse per lane, for masks of all-ones or all-zeros lanes (one blend where AVX has it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Select(Vector256<float> mask, Vector256<float> whenTrue, Vector256<float> whenFalse)
        => Avx.IsSupported ? Avx.BlendVariable(whenFalse, whenTrue, mask) : Vector256.ConditionalSelect(mask, whenTrue, whenFalse);

    // log2 splits the mantissa m in [1, 2) into 8 intervals by its top 3 bits; c is each interval's centre, stored as
    // the float 1/c and the float -log2(1/c), so that log2(m) = -log2(1/c) + log2(m * (1/c)) exactly, with |m/c - 1| <= 1/17.
    private static readonly Vector256<float> s_inverseCentres, s_log2Centres;

    static FastMath()
    {
        Span<float> inv = stackalloc float[8], log = stackalloc float[8];
        for (int i = 0; i < 8; i++)
        {
            float r = (float)(1 / (1 + (2 * i + 1) / 16.0));
            inv[i] = r; log[i] = (float)-Math.Log2(r);
        }
        s_inverseCentres = Vector256.Create<float>(inv);
        s_log2Centres = Vector256.Create<float>(log);
    }

    /// <summary>log2(x) for finite x &gt; 0 (normal floats). Returns large negative values for subnormals.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log2(Vector256<float> x)
    {
        var bits = x.AsInt32();
        var e = Vector256.ConvertToSingle(Vector256.ShiftRightArithmetic(bits, 23) - Vector256.Create(127));
        var m = ((bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F800000)).AsSingle();
        Vector256<float> inverseCentre, log2Centre;
        if (Avx2.IsSupported)
        {
            // The permutation reads the low 3 bits of each index: the top 3 bits of the mantissa.
            var interval = Vector256.ShiftRightLogical(bits, 20);
            inverseCentre = Avx2.PermuteVar8x32(s_inverseCentres, interval);
            log2Centre = Avx2.PermuteVar8x32(s_log2Centres, interval);
        }
        else
        {
            var interval = Vector256.ShiftRightLogical(bits, 20) & Vector256.Create(7);
            inverseCentre = Vector256.Shuffle(s_inverseCentres, interval);
            log2Centre = Vector256.Shuffle(s_log2Centres, interval);
        }
        var r = MulAdd(m, inverseCentre, Vector256.Create(-1f));
        // ln(1 + r) = r - r^2/2 + r^3/3 - r^4/4 + r^5/5 - ..., truncated after r^5 (error below 2e-8 for |r| <= 1/17).
        var p = MulAdd(Vector256.Create(0.2f), r, Vector256.Create(-0.25f));
        p = MulAdd(p, r, Vector256.Create(1f / 3f));
        p = MulAdd(p, r, Vector256.Create(-0.5f));
        p = MulAdd(p, r, Vector256<float>.One);
        return MulAdd(p * r, Vector256.Create(1.44269504f), log2Centre + e);
    }

    /// <summary>
    /// 2^x, with x clamped to [-125.5, 126]: the result is never a subnormal float (arithmetic on subnormals is many
    /// times slower), so anything below 2^-125.5 (1.7e-38) comes out as 2^-125.5.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp2(Vector256<float> x)
    {
        x = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(SmallestExponent)), Vector256.Create(126f));
        var fl = Vector256.Round(x);
        var f = x - fl;
        // 2^f on [-1/2, 1/2]: a degree-5 polynomial fitted for relative error (about 1e-7, equioscillating).
        var p = MulAdd(Vector256.Create(1.3219079e-3f), f, Vector256.Create(9.6716983e-3f));
        p = MulAdd(p, f, Vector256.Create(5.5508915e-2f));
        p = MulAdd(p, f, Vector256.Create(2.4022238e-1f));
        p = MulAdd(p, f, Vector256.Create(6.9314688e-1f));
        p = MulAdd(p, f, Vector256<float>.One);
        // fl is an integer in [-126, 126]: the conversion is exact.
        var pow = Vector256.ShiftLeft(Vector256.ConvertToInt32Native(fl) + Vector256.Create(127), 23).AsSingle();
        return p * pow;
    }
}
