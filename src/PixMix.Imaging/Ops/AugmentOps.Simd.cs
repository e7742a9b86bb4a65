using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PixMix.Imaging.Ops;

// Vector building blocks shared by the kernels (AVX2 only; every caller keeps a scalar path for other CPUs).
public static partial class AugmentOps
{
    /// <summary>Splits 16 interleaved RGB pixels (48 bytes) into their red, green and blue bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Deinterleave16(byte* p, out Vector128<byte> r, out Vector128<byte> g, out Vector128<byte> b)
    {
        var a0 = Sse2.LoadVector128(p);
        var a1 = Sse2.LoadVector128(p + 16);
        var a2 = Sse2.LoadVector128(p + 32);
        const byte Z = 0x80; // pshufb writes 0 for an index with the top bit set
        r = Ssse3.Shuffle(a0, Vector128.Create((byte)0, 3, 6, 9, 12, 15, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z))
          | Ssse3.Shuffle(a1, Vector128.Create(Z, Z, Z, Z, Z, Z, 2, 5, 8, 11, 14, Z, Z, Z, Z, Z))
          | Ssse3.Shuffle(a2, Vector128.Create(Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, 1, 4, 7, 10, 13));
        g = Ssse3.Shuffle(a0, Vector128.Create((byte)1, 4, 7, 10, 13, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z))
          | Ssse3.Shuffle(a1, Vector128.Create(Z, Z, Z, Z, Z, 0, 3, 6, 9, 12, 15, Z, Z, Z, Z, Z))
          | Ssse3.Shuffle(a2, Vector128.Create(Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, 2, 5, 8, 11, 14));
        b = Ssse3.Shuffle(a0, Vector128.Create((byte)2, 5, 8, 11, 14, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z))
          | Ssse3.Shuffle(a1, Vector128.Create(Z, Z, Z, Z, Z, 1, 4, 7, 10, 13, Z, Z, Z, Z, Z, Z))
          | Ssse3.Shuffle(a2, Vector128.Create(Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, 0, 3, 6, 9, 12, 15));
    }

    /// <summary>Writes 16 pixels (48 bytes) from their red, green and blue bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Interleave16(Vector128<byte> r, Vector128<byte> g, Vector128<byte> b, byte* o)
    {
        const byte Z = 0x80;
        Sse2.Store(o, Ssse3.Shuffle(r, Vector128.Create((byte)0, Z, Z, 1, Z, Z, 2, Z, Z, 3, Z, Z, 4, Z, Z, 5))
            | Ssse3.Shuffle(g, Vector128.Create(Z, 0, Z, Z, 1, Z, Z, 2, Z, Z, 3, Z, Z, 4, Z, Z))
            | Ssse3.Shuffle(b, Vector128.Create(Z, Z, 0, Z, Z, 1, Z, Z, 2, Z, Z, 3, Z, Z, 4, Z)));
        Sse2.Store(o + 16, Ssse3.Shuffle(r, Vector128.Create(Z, Z, 6, Z, Z, 7, Z, Z, 8, Z, Z, 9, Z, Z, 10, Z))
            | Ssse3.Shuffle(g, Vector128.Create((byte)5, Z, Z, 6, Z, Z, 7, Z, Z, 8, Z, Z, 9, Z, Z, 10))
            | Ssse3.Shuffle(b, Vector128.Create(Z, 5, Z, Z, 6, Z, Z, 7, Z, Z, 8, Z, Z, 9, Z, Z)));
        Sse2.Store(o + 32, Ssse3.Shuffle(r, Vector128.Create(Z, 11, Z, Z, 12, Z, Z, 13, Z, Z, 14, Z, Z, 15, Z, Z))
            | Ssse3.Shuffle(g, Vector128.Create(Z, Z, 11, Z, Z, 12, Z, Z, 13, Z, Z, 14, Z, Z, 15, Z))
            | Ssse3.Shuffle(b, Vector128.Create((byte)10, Z, Z, 11, Z, Z, 12, Z, Z, 13, Z, Z, 14, Z, Z, 15)));
    }

    /// <summary>Zero-extends bytes 0..7 and 8..15 of <paramref name="v"/> to two vectors of int32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Widen16(Vector128<byte> v, out Vector256<int> lo, out Vector256<int> hi)
    {
        lo = Avx2.ConvertToVector256Int32(v);
        hi = Avx2.ConvertToVector256Int32(Sse2.ShiftRightLogical128BitLane(v, 8));
    }

    /// <summary>Narrows two vectors of int32 to 16 bytes (lo first), saturating to [0, 255].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Narrow16(Vector256<int> lo, Vector256<int> hi)
    {
        var a = Sse2.PackSignedSaturate(lo.GetLower(), lo.GetUpper());
        var b = Sse2.PackSignedSaturate(hi.GetLower(), hi.GetUpper());
        return Sse2.PackUnsignedSaturate(a, b);
    }

    /// <summary>Narrows four vectors of int32 (values 0..7, 8..15, 16..23, 24..31) to 32 bytes, saturating to [0, 255].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Narrow32(Vector256<int> a, Vector256<int> b, Vector256<int> c, Vector256<int> d)
    {
        // The 256-bit packs work per 128-bit lane: the dwords come out as a0 b0 c0 d0 a1 b1 c1 d1 (a0 = a's
        // values 0..3, a1 = 4..7), which the permutation puts back in order.
        var bytes = Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(a, b), Avx2.PackSignedSaturate(c, d));
        return Avx2.PermuteVar8x32(bytes.AsInt32(), Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7)).AsByte();
    }

    /// <summary>PIL's RGB to L conversion for 16 pixels given as planes; returns the two int32 halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Luma16(Vector128<byte> r, Vector128<byte> g, Vector128<byte> b, out Vector256<int> lo, out Vector256<int> hi)
    {
        Widen16(r, out var r0, out var r1);
        Widen16(g, out var g0, out var g1);
        Widen16(b, out var b0, out var b1);
        var wr = Vector256.Create(19595);
        var wg = Vector256.Create(38470);
        var wb = Vector256.Create(7471);
        var round = Vector256.Create(0x8000);
        // The same integer arithmetic as Luma: exact, at most 255 * 65536 + 32768.
        lo = (r0 * wr + g0 * wg + b0 * wb + round) >>> 16;
        hi = (r1 * wr + g1 * wg + b1 * wb + round) >>> 16;
    }

    /// <summary><see cref="Blend"/> for 16 values given as bytes (alpha at most <see cref="MaxVectorAlpha"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Blend16(Vector256<float> degenerateLo, Vector256<float> degenerateHi, Vector128<byte> image, float alpha)
    {
        Widen16(image, out var lo, out var hi);
        return Narrow16(BlendTruncate(degenerateLo, Avx.ConvertToVector256Single(lo), alpha),
            BlendTruncate(degenerateHi, Avx.ConvertToVector256Single(hi), alpha));
    }
}
