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
            if (c == 3)
            {
                for (int x = 0, j = (w - 1) * 3; x < w; x++, j -= 3)
                {
                    drow[j] = srow[x * 3]; drow[j + 1] = srow[x * 3 + 1]; drow[j + 2] = srow[x * 3 + 2];
                }
            }
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
    public static void Crop(ImageU8 src, int left, int top, ImageU8 dst)
    {
        if (src.Channels != dst.Channels) throw new ArgumentException($"dst has {dst.Channels} channels, src has {src.Channels}.", nameof(dst));
        int c = src.Channels;
        var s = src.Span; var d = dst.Span;
        for (int y = 0; y < dst.Height; y++)
        {
            int sy = top + y;
            var row = d.Slice(y * dst.Stride, dst.Stride);
            if (sy < 0 || sy >= src.Height) { row.Clear(); continue; }
            int x0 = Math.Max(0, -left), x1 = Math.Min(dst.Width, src.Width - left);
            if (x1 <= x0) { row.Clear(); continue; }
            row.Slice(0, x0 * c).Clear();
            s.Slice((sy * src.Width + left + x0) * c, (x1 - x0) * c).CopyTo(row.Slice(x0 * c));
            row.Slice(x1 * c).Clear();
        }
    }

    /// <summary>torchvision RandomCrop(size, padding): a uniformly placed window of dst's size in the zero-padded source.</summary>
    public static void RandomCrop(ImageU8 src, ImageU8 dst, int padding, ref PixMixRandom rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(padding, nameof(padding));
        int maxX = src.Width + 2 * padding - dst.Width, maxY = src.Height + 2 * padding - dst.Height;
        if (maxX < 0 || maxY < 0)
            throw new ArgumentException($"crop {dst.Width}x{dst.Height} is larger than the padded image {src.Width + 2 * padding}x{src.Height + 2 * padding}.", nameof(dst));
        int top = rng.NextIntInclusive(0, maxY) - padding;
        int left = rng.NextIntInclusive(0, maxX) - padding;
        Crop(src, left, top, dst);
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
        int w = src.Width, h = src.Height;
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
                ResizedCrop(src, left, top, cw, ch, dst);
                return;
            }
        }
        double inRatio = (double)w / h;
        int fw, fh;
        if (inRatio < minRatio) { fw = w; fh = (int)Math.Round(fw / minRatio); }
        else if (inRatio > maxRatio) { fh = h; fw = (int)Math.Round(fh * maxRatio); }
        else { fw = w; fh = h; }
        ResizedCrop(src, (w - fw) / 2, (h - fh) / 2, fw, fh, dst);
    }

    /// <summary>torchvision's resized_crop: the integer box (inside the image) resized to dst's size; nothing is allocated.</summary>
    public static void ResizedCrop(ImageU8 src, int left, int top, int width, int height, ImageU8 dst)
    {
        if (left < 0 || top < 0 || left + width > src.Width || top + height > src.Height)
            throw new ArgumentOutOfRangeException(nameof(left), $"the box ({left}, {top}, {width}x{height}) is not inside the {src.Width}x{src.Height} image.");
        Resampler.Resize(src, left, top, width, height, dst);
    }

    /// <summary>In place, per channel of a CHW buffer: x = (x - mean[c]) / std[c].</summary>
    public static void Normalize(Span<float> chw, int channels, ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        if (mean.Length != channels || std.Length != channels)
            throw new ArgumentException($"normalization needs {channels} means and standard deviations, got {mean.Length} and {std.Length}.");
        int plane = chw.Length / channels;
        for (int ch = 0; ch < channels; ch++)
        {
            if (!(std[ch] > 0)) throw new ArgumentOutOfRangeException(nameof(std), std[ch], "standard deviations must be > 0.");
            float m = mean[ch], inv = 1f / std[ch];
            var p = chw.Slice(ch * plane, plane);
            for (int i = 0; i < p.Length; i++) p[i] = (p[i] - m) * inv;
        }
    }
}
