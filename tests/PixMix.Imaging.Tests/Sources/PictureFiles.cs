using SkiaSharp;

namespace PixMix.TestSupport;

/// <summary>
/// Writes small pictures in each format the readers accept (PNG, JPEG and WEBP encoded by SkiaSharp; BMP and GIF
/// written byte by byte), whole or cut short, for the damaged-picture tests. Shared by the Imaging and CLI tests.
/// </summary>
internal static class PictureFiles
{
    /// <summary>The formats, as file extensions without the dot.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["png", "jpg", "bmp", "gif", "webp"];

    /// <summary>The bytes of a <paramref name="side"/> x <paramref name="side"/> picture in <paramref name="format"/>, with varied content.</summary>
    public static byte[] Encode(string format, int side = 24, int seed = 1)
    {
        var rgb = new byte[side * side * 3];
        var rng = new Random(seed);
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
            {
                int i = (y * side + x) * 3;
                rgb[i] = (byte)(x * 255 / side);
                rgb[i + 1] = (byte)(y * 255 / side);
                rgb[i + 2] = (byte)rng.Next(256);
            }
        return format switch
        {
            "bmp" => Bmp(rgb, side),
            "gif" => Gif(rgb, side),
            "png" => Skia(rgb, side, SKEncodedImageFormat.Png),
            "jpg" => Skia(rgb, side, SKEncodedImageFormat.Jpeg),
            "webp" => Skia(rgb, side, SKEncodedImageFormat.Webp),
            _ => throw new ArgumentException($"unknown format {format}", nameof(format)),
        };
    }

    /// <summary>
    /// The first part of a picture's bytes: enough for the decoder to read the header and size, not enough for all the
    /// pixels (a download or copy cut short).
    /// </summary>
    public static byte[] Truncated(string format, int side = 24, int seed = 1)
    {
        var whole = Encode(format, side, seed);
        int keep = format switch
        {
            "bmp" => 54 + (whole.Length - 54) / 2,    // header and half the rows
            "gif" => whole.Length * 2 / 3,            // inside the image data
            _ => whole.Length / 2,
        };
        return whole[..keep];
    }

    /// <summary>Writes a picture (whole, or truncated) to <paramref name="path"/> and returns the path.</summary>
    public static string Write(string path, bool truncated = false, int side = 24, int seed = 1)
    {
        string format = Path.GetExtension(path).TrimStart('.').ToLowerInvariant();
        if (format == "jpeg") format = "jpg";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, truncated ? Truncated(format, side, seed) : Encode(format, side, seed));
        return path;
    }

    private static byte[] Skia(byte[] rgb, int side, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
            {
                int i = (y * side + x) * 3;
                bitmap.SetPixel(x, y, new SKColor(rgb[i], rgb[i + 1], rgb[i + 2]));
            }
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    // A 24-bit BMP: BITMAPFILEHEADER, BITMAPINFOHEADER, rows bottom-up in BGR padded to 4 bytes.
    private static byte[] Bmp(byte[] rgb, int side)
    {
        int row = (side * 3 + 3) & ~3;
        int size = 54 + row * side;
        var b = new byte[size];
        b[0] = (byte)'B'; b[1] = (byte)'M';
        BitConverter.TryWriteBytes(b.AsSpan(2), size);
        BitConverter.TryWriteBytes(b.AsSpan(10), 54);
        BitConverter.TryWriteBytes(b.AsSpan(14), 40);
        BitConverter.TryWriteBytes(b.AsSpan(18), side);
        BitConverter.TryWriteBytes(b.AsSpan(22), side);
        BitConverter.TryWriteBytes(b.AsSpan(26), (short)1);
        BitConverter.TryWriteBytes(b.AsSpan(28), (short)24);
        BitConverter.TryWriteBytes(b.AsSpan(34), row * side);
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
            {
                int src = ((side - 1 - y) * side + x) * 3, dst = 54 + y * row + x * 3;
                b[dst] = rgb[src + 2]; b[dst + 1] = rgb[src + 1]; b[dst + 2] = rgb[src];
            }
        return b;
    }

    // A GIF89a with a 4-grey global palette; the LZW stream sends a clear code before every two pixels, so codes stay
    // 3 bits wide and no dictionary needs to be built.
    private static byte[] Gif(byte[] rgb, int side)
    {
        var o = new List<byte>();
        o.AddRange("GIF89a"u8.ToArray());
        o.AddRange(BitConverter.GetBytes((short)side));
        o.AddRange(BitConverter.GetBytes((short)side));
        o.Add(0x81); // global colour table, 2^(1+1) = 4 entries
        o.Add(0); o.Add(0);
        foreach (byte v in new byte[] { 0, 85, 170, 255 }) { o.Add(v); o.Add(v); o.Add(v); }
        o.Add(0x2C); // image descriptor
        o.AddRange(BitConverter.GetBytes((short)0)); o.AddRange(BitConverter.GetBytes((short)0));
        o.AddRange(BitConverter.GetBytes((short)side)); o.AddRange(BitConverter.GetBytes((short)side));
        o.Add(0);
        o.Add(2); // LZW minimum code size: codes 0..3 colours, 4 clear, 5 end
        var bits = new List<byte>();
        int acc = 0, nbits = 0;
        void Emit(int code)
        {
            acc |= code << nbits;
            nbits += 3;
            while (nbits >= 8) { bits.Add((byte)acc); acc >>= 8; nbits -= 8; }
        }
        int n = side * side;
        for (int i = 0; i < n; i++)
        {
            if (i % 2 == 0) Emit(4);
            Emit(rgb[i * 3] >> 6);
        }
        Emit(5);
        if (nbits > 0) bits.Add((byte)acc);
        for (int i = 0; i < bits.Count; i += 255)
        {
            int len = Math.Min(255, bits.Count - i);
            o.Add((byte)len);
            o.AddRange(bits.GetRange(i, len));
        }
        o.Add(0);
        o.Add(0x3B);
        return [.. o];
    }

    /// <summary>
    /// A small, valid PNG (one short IDAT, grey) whose header declares <paramref name="side"/> x <paramref name="side"/>
    /// pixels: a "decompression bomb" the picture budget must refuse from the header alone.
    /// </summary>
    public static byte[] PngDeclaring(int side)
    {
        var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, side);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), side);
        header[8] = 8; // bit depth 8; colour type 0 (grey), no interlace
        PngChunk(output, "IHDR", header);
        var raw = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(raw, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)) z.Write(new byte[side + 1]);
        PngChunk(output, "IDAT", raw.ToArray());
        PngChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void PngChunk(Stream output, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        output.Write(four);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typed);
        uint crc = 0xFFFFFFFF;
        foreach (byte b in typed)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(four, ~crc);
        output.Write(four);
    }
}
