using PixMix.Imaging.Formats;
using PixMix.TestSupport;

namespace PixMix.Imaging.Tests.Formats;

public class NpyWriterTests
{
    [Fact]
    public void WritesTheSameBytesAsNumpySave()
    {
        using var dir = new TempFolder();
        void Same(string fixture, Action<string> write)
        {
            var path = dir.File(fixture);
            write(path);
            Assert.Equal(File.ReadAllBytes(Fixtures.Npy(fixture)), File.ReadAllBytes(path));
        }
        Same("u8_images_v1.npy", p => NpyWriter.Write(p, Fixtures.PatternBytes(180), 3, 4, 5, 3));
        Same("labels_u8.npy", p => NpyWriter.Write(p, new byte[] { 3, 0, 9, 255, 7 }, 5));
        Same("labels_i8.npy", p => NpyWriter.Write(p, new long[] { 3, 0, 9, 1000, 7 }, 5));
        Same("labels_i4.npy", p => NpyWriter.Write(p, new[] { 3, 0, 9, 70000, 7 }, 5));
        Same("f4_2d.npy", p => NpyWriter.Write(p, new[] { -1f, -0.5f, 0f, 0.5f, 1f, 1.5f }, 2, 3));
        Same("scalar_i8.npy", p => NpyWriter.Write(p, new long[] { -42 }, ReadOnlySpan<long>.Empty));
        Same("empty_u8.npy", p => NpyWriter.Write(p, ReadOnlySpan<byte>.Empty, 0, 2));
        Same("u8_long_axis.npy", p => NpyWriter.Write(p, Fixtures.PatternBytes(12345), 12345));
    }

    [Theory]
    [InlineData(new long[] { 1 })]
    [InlineData(new long[] { 50000, 32, 32, 3 })]
    [InlineData(new long[] { 123456789012, 1 })]
    [InlineData(new long[] { 7, 6, 5, 4, 3, 2, 1, 2, 3, 4, 5, 6, 7 })]
    public void HeadersFollowNumpyFormatRules(long[] shape)
    {
        var header = new NpyHeader(NpyDType.Float32, shape).Format();
        Assert.Equal(0, header.Length % 64);
        Assert.Equal((byte)'\n', header[^1]);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, header[..8]);
        Assert.Equal(header.Length - 10, header[8] | header[9] << 8);
        var text = System.Text.Encoding.Latin1.GetString(header, 10, header.Length - 10);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (" + string.Join(", ", shape) + (shape.Length == 1 ? ",)" : ")") + ", }", text);
        var tail = text[(text.IndexOf('}') + 1)..^1];
        Assert.All(tail, c => Assert.Equal(' ', c));
        Assert.True(tail.Length >= 21 - shape[0].ToString().Length, "numpy leaves room for the first axis to grow to 21 digits");
    }

    [Fact]
    public void StreamWriterWritesRowsIncrementallyAndCommitsAtomically()
    {
        using var dir = new TempFolder();
        var path = dir.File("rows.npy");
        File.WriteAllText(path, "previous content");
        using (var writer = new NpyStreamWriter(path, NpyDType.UInt8, [1000, 2, 3]))
        {
            var row = new byte[6];
            for (int i = 0; i < 1000; i++)
            {
                for (int k = 0; k < 6; k++) row[k] = Fixtures.Pattern(i * 6 + k);
                writer.Write<byte>(row);
                if (i == 500) Assert.Equal("previous content", File.ReadAllText(path));
            }
            Assert.Throws<InvalidOperationException>(() => writer.Write<byte>(new byte[1]));
            writer.Commit();
        }
        Assert.Single(Directory.GetFiles(dir.Path));
        using var file = NpyFile.Open(path);
        Assert.Equal(new long[] { 1000, 2, 3 }, file.Shape);
        var all = file.ToArray<byte>();
        for (int i = 0; i < all.Length; i++) Assert.Equal(Fixtures.Pattern(i), all[i]);
    }

    [Fact]
    public void UncommittedOrIncompleteWritesLeaveNothingBehind()
    {
        using var dir = new TempFolder();
        var path = dir.File("partial.npy");
        using (var writer = new NpyStreamWriter(path, NpyDType.Int64, [10]))
        {
            writer.Write<long>(new long[4]);
            var e = Assert.Throws<InvalidOperationException>(() => writer.Commit());
            Assert.Contains("4 of the 10 elements", e.Message);
            Assert.Throws<ArgumentException>(() => writer.Write<float>(new float[1]));
        }
        Assert.Empty(Directory.GetFiles(dir.Path));
        Assert.Throws<ArgumentException>(() => NpyWriter.Write(path, new byte[5], 2, 3));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void RoundTripsEveryWrittenDtype()
    {
        using var dir = new TempFolder();
        var floats = new[] { float.MinValue, -0f, 1e-30f, float.PositiveInfinity, 3.25f, float.NaN };
        NpyWriter.Write(dir.File("f.npy"), floats, 3, 2);
        var longs = new[] { long.MinValue, -1L, 0L, long.MaxValue };
        NpyWriter.Write(dir.File("l.npy"), longs, 4);
        using var f = NpyFile.Open(dir.File("f.npy"));
        using var l = NpyFile.Open(dir.File("l.npy"));
        Assert.Equal(floats, f.ToArray<float>());
        Assert.Equal(longs, l.ToArray<long>());
        Assert.Equal("<f4", NpyDTypes.Descr(f.DType));
    }
}
