using System.Buffers.Binary;
using System.IO.Compression;

namespace PixMix.TestSupport;

/// <summary>Writes idx files and idx data sets in the MNIST layout for tests. Shared by the Imaging and CLI tests.</summary>
internal static class IdxFiles
{
    /// <summary>An idx file of the given dimensions and element type code (0x08: unsigned byte).</summary>
    public static byte[] Encode(int[] dims, byte[] data, byte type = 0x08)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    /// <summary>Gzip-compresses <paramref name="raw"/>.</summary>
    public static byte[] Gzip(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest)) gz.Write(raw);
        return ms.ToArray();
    }

    /// <summary>Images whose pixel (y, x) of image i is (i * 7 + y * cols + x) mod 256, except image i's label sets row 0.</summary>
    public static byte[] Images(int n, int rows, int cols, Func<int, int> label)
    {
        var data = new byte[n * rows * cols];
        for (int i = 0; i < n; i++)
            for (int p = 0; p < rows * cols; p++)
                data[i * rows * cols + p] = p < cols ? (byte)(label(i) * 20) : (byte)((i * 7 + p) % 256);
        return Encode([n, rows, cols], data);
    }

    /// <summary>
    /// Writes a data set's four files: <c>[prefix-]train-images-idx3-ubyte[.gz]</c> and so on, labels i mod
    /// <paramref name="classes"/>. Returns the folder.
    /// </summary>
    public static string WriteDataSet(string folder, int train = 20, int test = 10, int classes = 10, int side = 28, bool gzip = false, string prefix = "")
    {
        Directory.CreateDirectory(folder);
        string p = prefix.Length == 0 ? "" : prefix + "-";
        string gz = gzip ? ".gz" : "";
        foreach (var (split, n) in new[] { ("train", train), ("t10k", test) })
        {
            Write(Path.Combine(folder, $"{p}{split}-images-idx3-ubyte{gz}"), Images(n, side, side, i => i % classes), gzip);
            Write(Path.Combine(folder, $"{p}{split}-labels-idx1-ubyte{gz}"), Encode([n], [.. Enumerable.Range(0, n).Select(i => (byte)(i % classes))]), gzip);
        }
        return folder;
    }

    private static void Write(string path, byte[] raw, bool gzip) => File.WriteAllBytes(path, gzip ? Gzip(raw) : raw);
}
