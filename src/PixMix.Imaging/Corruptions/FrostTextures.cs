using System.Collections.Concurrent;
using System.Reflection;
using SkiaSharp;

namespace PixMix.Imaging.Corruptions;

/// <summary>
/// The frost pictures the frost corruption blends into images. The reference benchmark uses six photographs of
/// frost (frost1.png ... frost6.jpg, Apache-2.0) and picks one of the first five at random. They are embedded in
/// this assembly; <see cref="FromFolder"/> loads them (or any pictures of those names) from a folder instead, and
/// <see cref="Procedural"/> generates a frost-like texture when no photograph is wanted or available.
/// Pictures are decoded once (through SkiaSharp), kept as RGB bytes, and their scaled copies are cached; the
/// instance is thread-safe.
/// </summary>
public sealed class FrostTextures
{
    /// <summary>The file names of the 5 pictures the corruption picks from, in the reference's order.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["frost1.png", "frost2.png", "frost3.png", "frost4.jpg", "frost5.jpg"];

    private const string ResourcePrefix = "PixMix.Imaging.Corruptions.Frost.";
    private static readonly Lazy<FrostTextures> s_default = new(CreateDefault, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<FrostTextures> s_procedural = new(() => CreateProcedural(0x5EED_F057UL), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Picture[] _pictures;
    private readonly ConcurrentDictionary<(int Index, int Width, int Height), Picture> _scaled = new();

    private FrostTextures(Picture[] pictures, bool photographic, string source)
    {
        _pictures = pictures;
        IsPhotographic = photographic;
        Source = source;
    }

    /// <summary>
    /// The default pictures: the reference photographs embedded in this assembly; if they are missing, a
    /// <c>frost</c> folder next to the assembly (see <see cref="FindFolder"/>); otherwise the <see cref="Procedural"/> texture.
    /// </summary>
    public static FrostTextures Default => s_default.Value;

    /// <summary>
    /// The documented fallback: 5 generated frost textures (480x320, fixed seeds): a soft plasma-fractal haze with
    /// hundreds of bright, fading ice needles, some branching at +-60 degrees, lightly blurred and tinted
    /// blue-white like the photographs. Not the reference's pictures, so results differ from the benchmark's.
    /// </summary>
    public static FrostTextures Procedural => s_procedural.Value;

    /// <summary>Whether the pictures are photographs (embedded or loaded) rather than generated.</summary>
    public bool IsPhotographic { get; }

    /// <summary>Where the pictures come from ("embedded", a folder path, or "procedural").</summary>
    public string Source { get; }

    /// <summary>The number of pictures the corruption picks from.</summary>
    public int Count => _pictures.Length;

    /// <summary>
    /// Loads frost1.png, frost2.png, frost3.png, frost4.jpg and frost5.jpg from <paramref name="folder"/>
    /// (for example the repository's <c>data/frost</c>).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">One of the 5 pictures is missing (the message names it).</exception>
    /// <exception cref="InvalidDataException">A picture cannot be decoded.</exception>
    public static FrostTextures FromFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"The frost folder '{folder}' does not exist; it must hold {string.Join(", ", FileNames)}.");
        var pictures = new Picture[FileNames.Count];
        for (int i = 0; i < pictures.Length; i++)
        {
            string path = Path.Combine(folder, FileNames[i]);
            if (!File.Exists(path))
                throw new FileNotFoundException($"The frost picture '{path}' is missing; the folder must hold {string.Join(", ", FileNames)}.", path);
            using var stream = File.OpenRead(path);
            pictures[i] = Decode(stream, path);
        }
        return new FrostTextures(pictures, true, Path.GetFullPath(folder));
    }

    /// <summary>Uses the given RGB pictures (copied); each must be at least 2x2.</summary>
    public static FrostTextures FromImages(IReadOnlyList<ImageU8> pictures)
    {
        ArgumentNullException.ThrowIfNull(pictures);
        if (pictures.Count == 0) throw new ArgumentException("pictures is empty; at least one frost picture is needed.", nameof(pictures));
        var list = new Picture[pictures.Count];
        for (int i = 0; i < list.Length; i++)
        {
            var p = pictures[i] ?? throw new ArgumentException($"pictures[{i}] is null.", nameof(pictures));
            if (p.Channels != 3) throw new ArgumentException($"pictures[{i}] has {p.Channels} channel(s); frost pictures must be RGB.", nameof(pictures));
            if (p.Width < 2 || p.Height < 2) throw new ArgumentException($"pictures[{i}] is {p.Width}x{p.Height}; frost pictures must be at least 2x2.", nameof(pictures));
            list[i] = new Picture(p.Width, p.Height, p.Span.ToArray());
        }
        return new FrostTextures(list, true, "images");
    }

    /// <summary>The embedded reference photographs, or null when this build of the assembly does not carry them.</summary>
    public static FrostTextures? Embedded()
    {
        var assembly = typeof(FrostTextures).Assembly;
        var pictures = new Picture[FileNames.Count];
        for (int i = 0; i < pictures.Length; i++)
        {
            using var stream = assembly.GetManifestResourceStream(ResourcePrefix + FileNames[i]);
            if (stream is null) return null;
            pictures[i] = Decode(stream, FileNames[i]);
        }
        return new FrostTextures(pictures, true, "embedded");
    }

    /// <summary>
    /// A <c>frost</c> folder holding the 5 pictures next to the application (<see cref="AppContext.BaseDirectory"/>)
    /// or next to this assembly, or null.
    /// </summary>
    public static string? FindFolder()
    {
        string?[] roots = [AppContext.BaseDirectory, Path.GetDirectoryName(typeof(FrostTextures).Assembly.Location)];
        foreach (var root in roots)
        {
            if (string.IsNullOrEmpty(root)) continue;
            string folder = Path.Combine(root, "frost");
            if (FileNames.All(f => File.Exists(Path.Combine(folder, f)))) return folder;
        }
        return null;
    }

    /// <summary>The picture <paramref name="index"/> (0-based) as a new RGB image.</summary>
    public ImageU8 GetPicture(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index, nameof(index));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count, nameof(index));
        var p = _pictures[index];
        return new ImageU8(p.Width, p.Height, 3, (byte[])p.Rgb.Clone());
    }

    /// <summary>
    /// Picks a picture at random, scales it by <paramref name="scale"/> (bilinear, OpenCV's pixel-centre
    /// mapping; enlarged further if needed so that it exceeds the window by at least one pixel each way) and copies
    /// a random <paramref name="width"/> x <paramref name="height"/> window of it into <paramref name="rgb"/> (HWC).
    /// </summary>
    internal void SampleWindow(ref PixMixRandom rng, double scale, int width, int height, Span<byte> rgb)
    {
        int index = rng.NextInt(_pictures.Length);
        var picture = Scaled(index, scale, width, height);
        int top = rng.NextInt(picture.Height - height);
        int left = rng.NextInt(picture.Width - width);
        for (int y = 0; y < height; y++)
            picture.Rgb.AsSpan(((top + y) * picture.Width + left) * 3, width * 3).CopyTo(rgb.Slice(y * width * 3, width * 3));
    }

    private Picture Scaled(int index, double scale, int width, int height)
    {
        var picture = ScaledOne(index, scale, width, height, out bool created);
        // the first use of a size scales every picture, so that later calls allocate nothing
        if (created)
            for (int i = 0; i < _pictures.Length; i++) ScaledOne(i, scale, width, height, out _);
        return picture;
    }

    private Picture ScaledOne(int index, double scale, int width, int height, out bool created)
    {
        created = false;
        var p = _pictures[index];
        int tw = (int)Math.Round(p.Width * scale, MidpointRounding.ToEven), th = (int)Math.Round(p.Height * scale, MidpointRounding.ToEven);
        bool bumped = tw < width + 1 || th < height + 1;
        if (bumped)
        {
            double s = Math.Max((width + 1.0) / p.Width, (height + 1.0) / p.Height);
            tw = Math.Max(width + 1, (int)Math.Ceiling(p.Width * s));
            th = Math.Max(height + 1, (int)Math.Ceiling(p.Height * s));
        }
        if (tw == p.Width && th == p.Height) return p;
        if (_scaled.TryGetValue((index, tw, th), out var cached)) return cached;
        created = true;
        double sx = bumped ? (double)p.Width / tw : 1.0 / scale;
        double sy = bumped ? (double)p.Height / th : 1.0 / scale;
        return _scaled.GetOrAdd((index, tw, th), Resize(p, tw, th, sx, sy));
    }

    // OpenCV INTER_LINEAR: source coordinate (d + 0.5) * scale - 0.5, clamped to the picture.
    private static Picture Resize(Picture p, int tw, int th, double sx, double sy)
    {
        var output = new byte[tw * th * 3];
        for (int y = 0; y < th; y++)
        {
            var (y0, y1, ty) = LinearTaps(y, sy, p.Height);
            for (int x = 0; x < tw; x++)
            {
                var (x0, x1, tx) = LinearTaps(x, sx, p.Width);
                for (int c = 0; c < 3; c++)
                {
                    double v = (1 - ty) * ((1 - tx) * p.Rgb[(y0 * p.Width + x0) * 3 + c] + tx * p.Rgb[(y0 * p.Width + x1) * 3 + c])
                             + ty * ((1 - tx) * p.Rgb[(y1 * p.Width + x0) * 3 + c] + tx * p.Rgb[(y1 * p.Width + x1) * 3 + c]);
                    output[(y * tw + x) * 3 + c] = (byte)Math.Clamp(Math.Round(v), 0, 255);
                }
            }
        }
        return new Picture(tw, th, output);
    }

    /// <summary>The two source pixels (clamped to 0..<paramref name="size"/> - 1) and the weight of the second for destination pixel <paramref name="d"/> at <paramref name="scale"/>.</summary>
    private static (int I0, int I1, double T) LinearTaps(int d, double scale, int size)
    {
        double f = (d + 0.5) * scale - 0.5;
        int i0 = (int)Math.Floor(f); double t = f - i0;
        if (i0 < 0) { i0 = 0; t = 0; }
        if (i0 >= size - 1) { i0 = size - 1; t = 0; }
        return (i0, Math.Min(i0 + 1, size - 1), t);
    }

    private static unsafe Picture Decode(Stream stream, string name)
    {
        using var data = SKData.Create(stream)
            ?? throw new InvalidDataException($"The frost picture '{name}' could not be read.");
        using var codec = SKCodec.Create(data)
            ?? throw new InvalidDataException($"The frost picture '{name}' is not an image SkiaSharp can decode.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (info.Width < 2 || info.Height < 2)
            throw new InvalidDataException($"The frost picture '{name}' is {info.Width}x{info.Height}; at least 2x2 is needed.");
        var rgba = new byte[info.BytesSize];
        fixed (byte* p = rgba)
        {
            var result = codec.GetPixels(info, (IntPtr)p);
            if (result != SKCodecResult.Success && result != SKCodecResult.IncompleteInput)
                throw new InvalidDataException($"The frost picture '{name}' could not be decoded: {result}.");
        }
        // the colour channels as stored (alpha ignored, as OpenCV's imread does)
        var rgb = new byte[info.Width * info.Height * 3];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgb[i] = rgba[j]; rgb[i + 1] = rgba[j + 1]; rgb[i + 2] = rgba[j + 2];
        }
        return new Picture(info.Width, info.Height, rgb);
    }

    private static FrostTextures CreateDefault()
    {
        var embedded = Embedded();
        if (embedded is not null) return embedded;
        var folder = FindFolder();
        if (folder is not null) return FromFolder(folder);
        return Procedural;
    }

    private static FrostTextures CreateProcedural(ulong seed)
    {
        const int W = 480, H = 320;
        var pictures = new Picture[FileNames.Count];
        var ws = new CorruptionWorkspace();
        for (int t = 0; t < pictures.Length; t++)
        {
            var rng = new PixMixRandom(seed + (ulong)t * 0x9E3779B97F4A7C15UL);
            var haze = new double[512 * 512];
            CorruptionFilters.PlasmaFractal(haze, 512, 2.0, ref rng);
            var v = new double[W * H];
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) v[y * W + x] = 0.12 + 0.3 * haze[y * 512 + x];
            int needles = 900;
            for (int k = 0; k < needles; k++)
            {
                double x0 = rng.Uniform(0, W), y0 = rng.Uniform(0, H), angle = rng.Uniform(0, Math.PI);
                double length = 4 + 40 * Math.Pow(rng.NextDouble(), 2), brightness = rng.Uniform(0.35, 1.0);
                DrawNeedle(v, W, H, x0, y0, angle, length, brightness);
                if (rng.Bernoulli(0.35))
                {
                    double at = rng.Uniform(0.2, 0.8) * length, side = rng.Bernoulli() ? Math.PI / 3 : -Math.PI / 3;
                    DrawNeedle(v, W, H, x0 + at * Math.Cos(angle), y0 + at * Math.Sin(angle), angle + side, length / 2, brightness * 0.8);
                }
            }
            CorruptionFilters.GaussianFilter(v, W, H, 1, 0.7, 4.0, Border.Reflect, ws);
            var rgb = new byte[W * H * 3];
            for (int i = 0; i < W * H; i++)
            {
                double g = Math.Clamp(v[i], 0, 1) * 255;
                rgb[3 * i] = (byte)(g * 0.86); rgb[3 * i + 1] = (byte)(g * 0.94); rgb[3 * i + 2] = (byte)g;
            }
            pictures[t] = new Picture(W, H, rgb);
        }
        return new FrostTextures(pictures, false, "procedural");
    }

    // A straight bright line fading from its start to its end; pixels keep the brighter of old and new.
    private static void DrawNeedle(double[] v, int w, int h, double x0, double y0, double angle, double length, double brightness)
    {
        double dx = Math.Cos(angle), dy = Math.Sin(angle);
        for (double t = 0; t <= length; t += 0.5)
        {
            int x = (int)(x0 + t * dx), y = (int)(y0 + t * dy);
            if ((uint)x >= (uint)w || (uint)y >= (uint)h) break;
            double value = brightness * (1 - 0.7 * t / length);
            if (value > v[y * w + x]) v[y * w + x] = value;
        }
    }

    private sealed record Picture(int Width, int Height, byte[] Rgb);
}
