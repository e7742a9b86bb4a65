using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PixMix.Imaging.Transforms;

/// <summary>
/// The data-set transforms of the PixMix recipes (torchvision semantics): random crop with zero padding, random
/// horizontal flip, resize of the shorter side, centre crop, random resized crop, and normalization.
/// </summary>
public static class ImageTransforms
{
    /// <summary>Horizontal mirror.</summary>
    public static void FlipHorizontal(ImageU8 src, ImageU8 dst)
    {
        ImageU8.RequireSameShape(src, dst, nameof(dst));
        int w = src.Width, c = src.Channels;
        var s = src.Span; var d = dst.Span;
        if (ReferenceEquals(src, dst))
        {
            for (int y = 0; y < src.Height; y++)
                for (int x = 0; x < w / 2; x++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        int i = (y * w + x) * c + ch, j = (y * w + (w - 1 - x)) * c + ch;
                        (d[i], d[j]) = (d[j], d[i]);
                    }
            return;
        }
        for (int y = 0; y < src.Height; y++)
        {
            var srow = s.Slice(y * w * c, w * c);
            var drow = d.Slice(y * w * c, w * c);
            if (c == 3) MirrorRgb(srow, drow);
            else
            {
                srow.CopyTo(drow);
                drow.Reverse();
            }
        }
    }

    /// <summary>Flips w.p. 0.5 (torchvision RandomHorizontalFlip); returns whether it flipped.</summary>
    public static bool RandomHorizontalFlip(ImageU8 src, ImageU8 dst, ref PixMixRandom rng)
    {
        if (rng.NextDouble() < 0.5) { FlipHorizontal(src, dst); return true; }
        if (!ReferenceEquals(src, dst)) src.CopyTo(dst);
        return false;
    }

    /// <summary>
    /// Copies the window whose top-left corner is (<paramref name="left"/>, <paramref name="top"/>) in the source
    /// coordinates into <paramref name="dst"/>; pixels outside the source are 0 (zero padding).
    /// </summary>
    public static void Crop(ImageU8 src, int left, int top, ImageU8 dst) => Crop(src, left, top, dst, mirror: false);

    /// <summary>
    /// <see cref="Crop(ImageU8, int, int, ImageU8)"/>, mirrored left to right when <paramref name="mirror"/> is set
    /// (a crop followed by a horizontal flip, in one pass).
    /// </summary>
    public static void Crop(ImageU8 src, int left, int top, ImageU8 dst, bool mirror)
    {
        if (src.Channels != dst.Channels) throw new ArgumentException($"dst has {dst.Channels} channels, src has {src.Channels}.", nameof(dst));
        if (ReferenceEquals(src, dst)) throw new ArgumentException("dst must be a different image from src.", nameof(dst));
        int c = src.Channels, w = dst.Width;
        var s = src.Span; var d = dst.Span;
        // Output columns [x0, x1) read source columns left + x (mirrored: left + w - 1 - x) inside the source.
        int x0 = mirror ? Math.Max(0, left + w - src.Width) : Math.Max(0, -left);
        int x1 = mirror ? Math.Min(w, left + w) : Math.Min(w, src.Width - left);
        for (int y = 0; y < dst.Height; y++)
        {
            int sy = top + y;
            var row = d.Slice(y * dst.Stride, dst.Stride);
            if (sy < 0 || sy >= src.Height || x1 <= x0) { row.Clear(); continue; }
            row.Slice(0, x0 * c).Clear();
            row.Slice(x1 * c).Clear();
            if (!mirror)
            {
                s.Slice((sy * src.Width + left + x0) * c, (x1 - x0) * c).CopyTo(row.Slice(x0 * c));
                continue;
            }
            // Source pixel of output x0 is left + w - 1 - x0; later outputs walk the source backwards.
            var srow = s.Slice((sy * src.Width + left + w - x1) * c, (x1 - x0) * c);
            var drow = row.Slice(x0 * c, (x1 - x0) * c);
            if (c == 3) MirrorRgb(srow, drow);
            else { srow.CopyTo(drow); drow.Reverse(); }
        }
    }

    /// <summary>dst = src with the order of its RGB pixels reversed (same length, distinct buffers).</summary>
    private static void MirrorRgb(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        ref byte s = ref MemoryMarshal.GetReference(src);
        ref byte d = ref MemoryMarshal.GetReference(dst);
        int n = src.Length / 3, p = 0;
        if (Ssse3.IsSupported && n >= 7)
        {
            // Output pixel 0 first, so that every 16-byte load below (5 pixels and one byte more) stays inside src.
            CopyPixel(ref s, n - 1, ref d, 0);
            var reverse5 = Vector128.Create((byte)12, 13, 14, 9, 10, 11, 6, 7, 8, 3, 4, 5, 0, 1, 2, 0x80);
            // Each store writes one byte past its 5 pixels; the next chunk (or the tail) rewrites it.
            for (p = 1; p + 5 < n; p += 5)
            {
                var chunk = Vector128.LoadUnsafe(ref s, (nuint)((n - p - 5) * 3));
                Ssse3.Shuffle(chunk, reverse5).StoreUnsafe(ref d, (nuint)(p * 3));
            }
        }
        for (; p < n; p++) CopyPixel(ref s, n - 1 - p, ref d, p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPixel(ref byte src, int from, ref byte dst, int to)
    {
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, 3 * to), Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref src, 3 * from)));
        Unsafe.Add(ref dst, 3 * to + 2) = Unsafe.Add(ref src, 3 * from + 2);
    }

    /// <summary>torchvision RandomCrop(size, padding): a uniformly placed window of dst's size in the zero-padded source.</summary>
    public static void RandomCrop(ImageU8 src, ImageU8 dst, int padding, ref PixMixRandom rng)
    {
        var (left, top) = SampleCropCorner(src, dst, padding, ref rng);
        Crop(src, left, top, dst);
    }

    /// <summary>
    /// torchvision RandomCrop(size, padding) then RandomHorizontalFlip, in one pass: the same random draws, in the
    /// same order, and the same result as <see cref="RandomCrop"/> followed by <see cref="RandomHorizontalFlip"/>.
    /// </summary>
    public static void RandomCropFlip(ImageU8 src, ImageU8 dst, int padding, ref PixMixRandom rng)
    {
        var (left, top) = SampleCropCorner(src, dst, padding, ref rng);
        Crop(src, left, top, dst, mirror: rng.NextDouble() < 0.5);
    }

    private static (int Left, int Top) SampleCropCorner(ImageU8 src, ImageU8 dst, int padding, ref PixMixRandom rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(padding, nameof(padding));
        int maxX = src.Width + 2 * padding - dst.Width, maxY = src.Height + 2 * padding - dst.Height;
        if (maxX < 0 || maxY < 0)
            throw new ArgumentException($"crop {dst.Width}x{dst.Height} is larger than the padded image {src.Width + 2 * padding}x{src.Height + 2 * padding}.", nameof(dst));
        int top = rng.NextIntInclusive(0, maxY) - padding;
        int left = rng.NextIntInclusive(0, maxX) - padding;
        return (left, top);
    }

    /// <summary>torchvision CenterCrop: the centred window of dst's size (zero-padded if the source is smaller).</summary>
    public static void CenterCrop(ImageU8 src, ImageU8 dst)
    {
        int top = (int)Math.Round((src.Height - dst.Height) / 2.0, MidpointRounding.ToEven);
        int left = (int)Math.Round((src.Width - dst.Width) / 2.0, MidpointRounding.ToEven);
        Crop(src, left, top, dst);
    }

    /// <summary>The size that torchvision Resize(shorterSide) gives: the shorter side becomes <paramref name="shorterSide"/>, the aspect ratio is kept.</summary>
    public static (int Width, int Height) ShorterSideSize(int width, int height, int shorterSide)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shorterSide, 1, nameof(shorterSide));
        if (width <= height) return (shorterSide, (int)(shorterSide * (long)height / width));
        return ((int)(shorterSide * (long)width / height), shorterSide);
    }

    /// <summary>
    /// torchvision RandomResizedCrop(size, scale=(0.08, 1), ratio=(3/4, 4/3)): a random box of random area and aspect
    /// (10 tries, then the centred box of the clamped ratio) resized to dst's size.
    /// </summary>
    public static void RandomResizedCrop(ImageU8 src, ImageU8 dst, ref PixMixRandom rng, double minScale = 0.08, double maxScale = 1.0, double minRatio = 3.0 / 4, double maxRatio = 4.0 / 3)
    {
        var (left, top, width, height) = SampleResizedCropBox(src.Width, src.Height, ref rng, minScale, maxScale, minRatio, maxRatio);
        ResizedCrop(src, left, top, width, height, dst);
    }

    /// <summary>
    /// torchvision RandomResizedCrop(size) then RandomHorizontalFlip, in one pass: the same random draws, in the same
    /// order, as <see cref="RandomResizedCrop"/> followed by <see cref="RandomHorizontalFlip"/>; the flip is folded into
    /// the horizontal filter, so it costs nothing.
    /// </summary>
    public static void RandomResizedCropFlip(ImageU8 src, ImageU8 dst, ref PixMixRandom rng)
    {
        var (left, top, width, height) = SampleResizedCropBox(src.Width, src.Height, ref rng);
        Resampler.Resize(src, left, top, width, height, dst, mirror: rng.NextDouble() < 0.5);
    }

    /// <summary>The box torchvision's RandomResizedCrop.get_params draws: (left, top, width, height), inside the image.</summary>
    public static (int Left, int Top, int Width, int Height) SampleResizedCropBox(int width, int height, ref PixMixRandom rng,
        double minScale = 0.08, double maxScale = 1.0, double minRatio = 3.0 / 4, double maxRatio = 4.0 / 3)
    {
        int w = width, h = height;
        double area = (double)w * h;
        double logLo = Math.Log(minRatio), logHi = Math.Log(maxRatio);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * rng.Uniform(minScale, maxScale);
            double ratio = Math.Exp(rng.Uniform(logLo, logHi));
            int cw = (int)Math.Round(Math.Sqrt(target * ratio));
            int ch = (int)Math.Round(Math.Sqrt(target / ratio));
            if (cw > 0 && ch > 0 && cw <= w && ch <= h)
            {
                int top = rng.NextIntInclusive(0, h - ch);
                int left = rng.NextIntInclusive(0, w - cw);
                return (left, top, cw, ch);
            }
        }
        double inRatio = (double)w / h;
        int fw, fh;
        if (inRatio < minRatio) { fw = w; fh = (int)Math.Round(fw / minRatio); }
        else if (inRatio > maxRatio) { fh = h; fw = (int)Math.Round(fh * maxRatio); }
        else { fw = w; fh = h; }
        return ((w - fw) / 2, (h - fh) / 2, fw, fh);
    }

    /// <summary>torchvision's resized_crop: the integer box (inside the image) resized to dst's size; nothing is allocated.</summary>
    public static void ResizedCrop(ImageU8 src, int left, int top, int width, int height, ImageU8 dst)
    {
        if (left < 0 || top < 0 || left + width > src.Width || top + height > src.Height)
            throw new ArgumentOutOfRangeException(nameof(left), $"the box ({left}, {top}, {width}x{height}) is not inside the {src.Width}x{src.Height} image.");
        Resampler.Resize(src, left, top, width, height, dst);
    }

    /// <summary>In place, per channel of a CHW buffer: x = (x - mean[c]) / std[c] (computed as (x - mean[c]) * (1 / std[c])).</summary>
    public static void Normalize(Span<float> chw, int channels, ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        if (mean.Length != channels || std.Length != channels)
            throw new ArgumentException($"normalization needs {channels} means and standard deviations, got {mean.Length} and {std.Length}.");
        int plane = chw.Length / channels;
        for (int ch = 0; ch < channels; ch++)
        {
            if (!(std[ch] > 0)) throw new ArgumentOutOfRangeException(nameof(std), std[ch], "standard deviations must be > 0.");
            // A plane is a one-channel interleaved image: the same kernel, in place.
            var p = chw.Slice(ch * plane, plane);
            PixelLayout.ToPlanar(p, p, 1, mean.Slice(ch, 1), std.Slice(ch, 1));
        }
    }
}
