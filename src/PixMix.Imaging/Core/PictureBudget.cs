using System.Globalization;

namespace PixMix.Imaging;

/// <summary>
/// How large a picture may be and how much memory concurrent decodes may take. Every decode (folders of images,
/// mixing folders, single pictures) first reads the picture's header and refuses a pixel count above
/// <see cref="MaxPixels"/>, so a small file declaring a huge size (a "decompression bomb") is never decoded; and each
/// decode then reserves its pixel buffers from <see cref="MaxConcurrentDecodeBytes"/>, so parallel decodes wait for
/// memory rather than all allocating at once.
/// </summary>
public static class PictureBudget
{
    /// <summary>The default pixel budget of one picture: 89,478,485 pixels, Pillow's <c>MAX_IMAGE_PIXELS</c>.</summary>
    public const long DefaultMaxPixels = 89_478_485;

    /// <summary>The environment variable that sets <see cref="MaxPixels"/> for a process (a whole number of pixels).</summary>
    public const string MaxPixelsVariable = "PIXMIX_MAX_PICTURE_PIXELS";

    /// <summary>The default memory for concurrent decodes: 2 GiB.</summary>
    public const long DefaultMaxConcurrentDecodeBytes = 2L << 30;

    /// <summary>Bytes a decode holds per pixel: the RGBA bitmap and the RGB (or grey) copy made from it.</summary>
    public const int DecodeBytesPerPixel = 8;

    private static long s_maxPixels = FromEnvironment();
    private static long s_maxDecodeBytes = DefaultMaxConcurrentDecodeBytes;
    private static long s_reserved;
    private static readonly object s_gate = new();

    /// <summary>
    /// The most pixels (width x height) of a picture that is decoded; default <see cref="DefaultMaxPixels"/>, or the
    /// value of the <see cref="MaxPixelsVariable"/> environment variable. At most 2^28 (SkiaSharp's limit).
    /// </summary>
    public static long MaxPixels
    {
        get => Volatile.Read(ref s_maxPixels);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1L << 28);
            Volatile.Write(ref s_maxPixels, value);
        }
    }

    /// <summary>The memory all concurrent decodes together may hold (a single larger picture decodes alone); default 2 GiB.</summary>
    public static long MaxConcurrentDecodeBytes
    {
        get => Volatile.Read(ref s_maxDecodeBytes);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1L << 20);
            lock (s_gate)
            {
                s_maxDecodeBytes = value;
                Monitor.PulseAll(s_gate);
            }
        }
    }

    /// <summary>The decode memory reserved now (for tests and diagnostics).</summary>
    public static long ReservedBytes { get { lock (s_gate) return s_reserved; } }

    /// <summary>Whether a picture of <paramref name="width"/> x <paramref name="height"/> is within <see cref="MaxPixels"/>.</summary>
    public static bool Allows(long width, long height) => width >= 1 && height >= 1 && width * height <= MaxPixels;

    /// <summary>Why a picture of this size is refused, for messages.</summary>
    public static string DescribeRefusal(long width, long height) => width < 1 || height < 1
        ? $"its header declares {width}x{height} pixels"
        : $"its header declares {width}x{height} = {width * height:N0} pixels, above the picture budget of {MaxPixels:N0} pixels " +
          $"(PictureBudget.MaxPixels; environment variable {MaxPixelsVariable})";

    /// <summary>
    /// Waits until the memory for decoding a <paramref name="width"/> x <paramref name="height"/> picture is free and
    /// reserves it; dispose the result to release it.
    /// </summary>
    public static IDisposable ReserveDecode(long width, long height)
    {
        long bytes = Math.Max(1, width * height * DecodeBytesPerPixel);
        lock (s_gate)
        {
            // A picture larger than the whole budget waits until nothing else decodes, then runs alone.
            while (s_reserved > 0 && s_reserved + Math.Min(bytes, s_maxDecodeBytes) > s_maxDecodeBytes) Monitor.Wait(s_gate);
            s_reserved += bytes;
        }
        return new Reservation(bytes);
    }

    private static long FromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable(MaxPixelsVariable);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value >= 1 && value <= 1L << 28
            ? value : DefaultMaxPixels;
    }

    private sealed class Reservation(long bytes) : IDisposable
    {
        private long _bytes = bytes;

        public void Dispose()
        {
            long bytes = Interlocked.Exchange(ref _bytes, 0);
            if (bytes == 0) return;
            lock (s_gate)
            {
                s_reserved -= bytes;
                Monitor.PulseAll(s_gate);
            }
        }
    }
}
