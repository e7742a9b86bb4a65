using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PixMix.Imaging;

/// <summary>
/// Pixel conversions between the 8-bit interleaved layout (HWC) and float tensors: bytes to [0, 1] in the same
/// layout, and interleaved to planar (CHW) with the per-channel normalization <c>(x - mean) / std</c> fused in.
/// </summary>
/// <remarks>
/// Every path gives the same bits as the plain formulas: <c>x / 255f</c> (the correctly rounded quotient, as
/// torchvision's <c>ToTensor</c> computes it) and <c>(x - mean) * (1 / std)</c>. On AVX2 hardware the quotient is
/// computed as <c>q = x * r; q += (x - q * 255) * r</c> with fused multiply-adds, which is exact for 0..255 (a test
/// checks all 256 values), and three channels are de-interleaved eight pixels at a time with blends and one
/// permutation per channel.
/// </remarks>
public static class PixelLayout
{
    private const float InverseOf255 = 1f / 255f;

    /// <summary>dst[i] = src[i] / 255 (same layout).</summary>
    public static void ToUnit(ReadOnlySpan<byte> src, Span<float> dst)
    {
        if (dst.Length < src.Length) throw new ArgumentException($"dst has {dst.Length} values, src has {src.Length}.", nameof(dst));
        int i = 0;
        if (Avx2.IsSupported && Fma.IsSupported)
        {
            ref byte ps = ref MemoryMarshal.GetReference(src);
            ref float pd = ref MemoryMarshal.GetReference(dst);
            for (; i <= src.Length - 8; i += 8)
                LoadUnit8(ref Unsafe.Add(ref ps, i)).StoreUnsafe(ref pd, (nuint)i);
        }
        for (; i < src.Length; i++) dst[i] = src[i] / 255f;
    }

    /// <summary>
    /// Interleaved floats (HWC, <paramref name="channels"/> per pixel) to planar (CHW), each value mapped to
    /// <c>(x - mean[c]) * (1 / std[c])</c>. Pass empty spans for no normalization.
    /// </summary>
    public static void ToPlanar(ReadOnlySpan<float> hwc, Span<float> chw, int channels, ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        int pixels = CheckPlanar(hwc.Length, chw.Length, channels, mean, std);
        Span<float> m = stackalloc float[channels], inv = stackalloc float[channels];
        Affine(channels, mean, std, m, inv);
        int p = 0;
        if (channels == 3 && Avx2.IsSupported)
        {
            ref float src = ref MemoryMarshal.GetReference(hwc);
            ref float dst = ref MemoryMarshal.GetReference(chw);
            var (m0, m1, m2) = (Vector256.Create(m[0]), Vector256.Create(m[1]), Vector256.Create(m[2]));
            var (i0, i1, i2) = (Vector256.Create(inv[0]), Vector256.Create(inv[1]), Vector256.Create(inv[2]));
            for (; p <= pixels - 8; p += 8)
            {
                var v0 = Vector256.LoadUnsafe(ref src, (nuint)(3 * p));
                var v1 = Vector256.LoadUnsafe(ref src, (nuint)(3 * p + 8));
                var v2 = Vector256.LoadUnsafe(ref src, (nuint)(3 * p + 16));
                StorePlanes(v0, v1, v2, ref dst, p, pixels, m0, m1, m2, i0, i1, i2);
            }
        }
        else if (channels == 1 && Vector256.IsHardwareAccelerated)
        {
            ref float src = ref MemoryMarshal.GetReference(hwc);
            ref float dst = ref MemoryMarshal.GetReference(chw);
            var vm = Vector256.Create(m[0]); var vi = Vector256.Create(inv[0]);
            for (; p <= pixels - 8; p += 8)
                ((Vector256.LoadUnsafe(ref src, (nuint)p) - vm) * vi).StoreUnsafe(ref dst, (nuint)p);
        }
        for (; p < pixels; p++)
            for (int c = 0; c < channels; c++)
                chw[c * pixels + p] = (hwc[p * channels + c] - m[c]) * inv[c];
    }

    /// <summary>
    /// Interleaved bytes (HWC) to planar floats (CHW): <c>(x / 255 - mean[c]) * (1 / std[c])</c>, the composition of
    /// torchvision's ToTensor and Normalize. Pass empty spans for no normalization.
    /// </summary>
    public static void ToPlanar(ReadOnlySpan<byte> hwc, Span<float> chw, int channels, ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        int pixels = CheckPlanar(hwc.Length, chw.Length, channels, mean, std);
        Span<float> m = stackalloc float[channels], inv = stackalloc float[channels];
        Affine(channels, mean, std, m, inv);
        int p = 0;
        if (channels == 3 && Avx2.IsSupported && Fma.IsSupported)
        {
            ref byte src = ref MemoryMarshal.GetReference(hwc);
            ref float dst = ref MemoryMarshal.GetReference(chw);
            var (m0, m1, m2) = (Vector256.Create(m[0]), Vector256.Create(m[1]), Vector256.Create(m[2]));
            var (i0, i1, i2) = (Vector256.Create(inv[0]), Vector256.Create(inv[1]), Vector256.Create(inv[2]));
            for (; p <= pixels - 8; p += 8)
            {
                ref byte s = ref Unsafe.Add(ref src, 3 * p);
                StorePlanes(LoadUnit8(ref s), LoadUnit8(ref Unsafe.Add(ref s, 8)), LoadUnit8(ref Unsafe.Add(ref s, 16)), ref dst, p, pixels, m0, m1, m2, i0, i1, i2);
            }
        }
        else if (channels == 1 && Avx2.IsSupported && Fma.IsSupported)
        {
            ref byte src = ref MemoryMarshal.GetReference(hwc);
            ref float dst = ref MemoryMarshal.GetReference(chw);
            var vm = Vector256.Create(m[0]); var vi = Vector256.Create(inv[0]);
            for (; p <= pixels - 8; p += 8)
                ((LoadUnit8(ref Unsafe.Add(ref src, p)) - vm) * vi).StoreUnsafe(ref dst, (nuint)p);
        }
        for (; p < pixels; p++)
            for (int c = 0; c < channels; c++)
                chw[c * pixels + p] = (hwc[p * channels + c] / 255f - m[c]) * inv[c];
    }

    private static int CheckPlanar(int hwcLength, int chwLength, int channels, ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be at least 1.");
        if (hwcLength % channels != 0) throw new ArgumentException($"the interleaved buffer has {hwcLength} values, not a multiple of {channels} channels.", "hwc");
        if (chwLength < hwcLength) throw new ArgumentException($"chw has {chwLength} values, the image has {hwcLength}.", "chw");
        if (mean.Length != std.Length || (mean.Length != 0 && mean.Length != channels))
            throw new ArgumentException($"normalization needs {channels} means and standard deviations (or none), got {mean.Length} and {std.Length}.", nameof(mean));
        return hwcLength / channels;
    }

    private static void Affine(int channels, ReadOnlySpan<float> mean, ReadOnlySpan<float> std, Span<float> m, Span<float> inv)
    {
        for (int c = 0; c < channels; c++)
        {
            if (mean.Length == 0) { m[c] = 0; inv[c] = 1; continue; }
            if (!(std[c] > 0)) throw new ArgumentOutOfRangeException(nameof(std), std[c], "standard deviations must be > 0.");
            m[c] = mean[c]; inv[c] = 1f / std[c];
        }
    }

    /// <summary>Eight bytes to eight floats x / 255 (correctly rounded, see the remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> LoadUnit8(ref byte source)
    {
        var x = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref source)).AsByte()));
        var r = Vector256.Create(InverseOf255);
        var q = x * r;
        return Fma.MultiplyAdd(Fma.MultiplyAddNegated(q, Vector256.Create(255f), x), r, q);
    }

    /// <summary>De-interleaves eight RGB pixels (v0..v2 hold 24 values) into the three planes, normalized.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePlanes(Vector256<float> v0, Vector256<float> v1, Vector256<float> v2, ref float dst, int p, int pixels,
        Vector256<float> m0, Vector256<float> m1, Vector256<float> m2, Vector256<float> i0, Vector256<float> i1, Vector256<float> i2)
    {
        // Channel c of pixel j sits at index 3j + c; (3j + c) mod 8 is distinct for the eight pixels, so two blends
        // collect a channel into one vector and one permutation puts it in pixel order.
        var r = Avx.Blend(Avx.Blend(v0, v1, 0b1001_0010), v2, 0b0010_0100);
        var g = Avx.Blend(Avx.Blend(v0, v1, 0b0010_0100), v2, 0b0100_1001);
        var b = Avx.Blend(Avx.Blend(v0, v1, 0b0100_1001), v2, 0b1001_0010);
        r = Avx2.PermuteVar8x32(r, Vector256.Create(0, 3, 6, 1, 4, 7, 2, 5));
        g = Avx2.PermuteVar8x32(g, Vector256.Create(1, 4, 7, 2, 5, 0, 3, 6));
        b = Avx2.PermuteVar8x32(b, Vector256.Create(2, 5, 0, 3, 6, 1, 4, 7));
        ((r - m0) * i0).StoreUnsafe(ref dst, (nuint)p);
        ((g - m1) * i1).StoreUnsafe(ref dst, (nuint)(pixels + p));
        ((b - m2) * i2).StoreUnsafe(ref dst, (nuint)(2 * pixels + p));
    }
}
