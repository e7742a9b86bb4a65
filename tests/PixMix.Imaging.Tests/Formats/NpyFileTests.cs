using System.Buffers.Binary;
using System.Text;
using PixMix.Imaging.Formats;
using PixMix.TestSupport;

namespace PixMix.Imaging.Tests.Formats;

public class NpyFileTests
{
    [Theory]
    [InlineData("u8_images_v1.npy", 1, DataFileAccess.MemoryMapped)]
    [InlineData("u8_images_v2.npy", 2, DataFileAccess.MemoryMapped)]
    [InlineData("u8_images_v3.npy", 3, DataFileAccess.MemoryMapped)]
    [InlineData("u8_images_v1.npy", 1, DataFileAccess.PositionedReads)]
    [InlineData("u8_images_v2.npy", 2, DataFileAccess.PositionedReads)]
    public void ReadsNumpyImagesInEveryFormatVersion(string name, int version, DataFileAccess access)
    {
        using var file = NpyFile.Open(Fixtures.Npy(name), access);
        Assert.Equal(version, file.Header.MajorVersion);
        Assert.Equal(NpyDType.UInt8, file.DType);
        Assert.Equal(new long[] { 3, 4, 5, 3 }, file.Shape);
        Assert.Equal(0, file.Header.DataOffset % 64);
        Assert.Equal(60, file.RowLength);
        var all = file.ToArray<byte>();
        Assert.Equal(180, all.Length);
        for (int i = 0; i < all.Length; i++) Assert.Equal(Fixtures.Pattern(i), all[i]);
        var row = new byte[60];
        file.ReadRow<byte>(2, row);
        Assert.Equal(Fixtures.Pattern(120), row[0]);
        Assert.Equal(Fixtures.Pattern(179), row[59]);
    }

    [Fact]
    public void ReadsLabelDtypesAsNumpyWroteThem()
    {
        using (var u8 = NpyFile.Open(Fixtures.Npy("labels_u8.npy")))
        {
            Assert.Equal(NpyDType.UInt8, u8.DType);
            Assert.Equal(new[] { 3, 0, 9, 255, 7 }, u8.ReadLabels());
        }
        using (var i8 = NpyFile.Open(Fixtures.Npy("labels_i8.npy")))
        {
            Assert.Equal(NpyDType.Int64, i8.DType);
            Assert.Equal(new long[] { 3, 0, 9, 1000, 7 }, i8.ToArray<long>());
            Assert.Equal(new[] { 3, 0, 9, 1000, 7 }, i8.ReadLabels());
        }
        using (var i4 = NpyFile.Open(Fixtures.Npy("labels_i4.npy")))
        {
            Assert.Equal(NpyDType.Int32, i4.DType);
            var wide = new long[3];
            i4.ReadAsInt64(2, wide);
            Assert.Equal(new long[] { 9, 70000, 7 }, wide);
        }
    }

    [Fact]
    public void ReadsBoolFloatScalarAndEmptyArrays()
    {
        using (var b = NpyFile.Open(Fixtures.Npy("bool_1d.npy")))
        {
            Assert.Equal(NpyDType.Bool, b.DType);
            Assert.Equal(new byte[] { 1, 0, 1 }, b.ToArray<byte>());
            Assert.Equal(new[] { true, false, true }, b.ToArray<bool>());
        }
        using (var f = NpyFile.Open(Fixtures.Npy("f4_2d.npy")))
        {
            Assert.Equal(NpyDType.Float32, f.DType);
            Assert.Equal(new long[] { 2, 3 }, f.Shape);
            var row = new float[3];
            f.ReadRow<float>(1, row);
            Assert.Equal(new[] { 0.5f, 1.0f, 1.5f }, row);
            Assert.Throws<InvalidOperationException>(() => f.ToArray<byte>());
        }
        using (var s = NpyFile.Open(Fixtures.Npy("scalar_i8.npy")))
        {
            Assert.Empty(s.Shape);
            Assert.Equal(1, s.ElementCount);
            Assert.Equal(-42L, s.ToArray<long>()[0]);
        }
        using (var e = NpyFile.Open(Fixtures.Npy("empty_u8.npy")))
        {
            Assert.Equal(new long[] { 0, 2 }, e.Shape);
            Assert.Equal(0, e.ElementCount);
            Assert.Empty(e.ToArray<byte>());
        }
    }

    [Theory]
    [InlineData("bad_big_endian.npy", "big-endian")]
    [InlineData("bad_fortran.npy", "Fortran")]
    [InlineData("bad_object.npy", "Python object")]
    [InlineData("bad_structured.npy", "structured")]
    [InlineData("bad_complex.npy", "'<c8' is not supported")]
    public void RefusesNumpyFilesItCannotRead(string name, string problem)
    {
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Open(Fixtures.Npy(name)));
        Assert.Contains(problem, e.Message);
        Assert.Contains(name, e.Message);
    }

    private static byte[] Fixture(string name) => File.ReadAllBytes(Fixtures.Npy(name));

    /// <summary>A version 1.0 file with the given header text, padded to 64 bytes, followed by dataLength zero bytes.</summary>
    internal static byte[] Handmade(string dict, int dataLength, int major = 1)
    {
        int prefix = major == 1 ? 10 : 12;
        int textLength = dict.Length + 1;
        int pad = 64 - (prefix + textLength) % 64;
        var bytes = new byte[prefix + textLength + pad + dataLength];
        NpyHeader.Magic.CopyTo(bytes);
        bytes[6] = (byte)major;
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)(textLength + pad));
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)(textLength + pad));
        Encoding.Latin1.GetBytes(dict).CopyTo(bytes, prefix);
        bytes.AsSpan(prefix + dict.Length, pad).Fill((byte)' ');
        bytes[prefix + textLength + pad - 1] = (byte)'\n';
        return bytes;
    }

    public static TheoryData<string, string> MalformedHeaders => new()
    {
        { "{'descr': '|u1', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", "more elements than any file can hold" },
        { "{'descr': '|u1', 'fortran_order': False, 'shape': (1000000000000,), }", "(1000000000000 bytes) but only 0 bytes follow the header (truncated)" },
        { "{'descr': '|u1', 'fortran_order': False, 'shape': (-3,), }", "'shape' item 0 is negative" },
        { "{'descr': '|u1', 'fortran_order': False, 'shape': [3], }", "'shape' is not a tuple" },
        { "{'descr': '|u1', 'fortran_order': False, }", "expected exactly [descr, fortran_order, shape]" },
        { "{'descr': '|u1', 'fortran_order': 0, 'shape': (0,), }", "'fortran_order' is not True or False" },
        { "{'descr': '|u1', 'fortran_order': False, 'shape': (99999999999999999999,), }", "is not a 64-bit integer" },
        { "{'descr': '|u1', 'fortran_order': False, 'shape': " + new string('(', 100) + "), }", "nesting too deep" },
        { "{'descr': '|u1' 'fortran_order': False, 'shape': (0,), }", "expected ',' or '}'" },
        { "not a dict", "unknown name" },
        { "{'descr': '<U3', 'fortran_order': False, 'shape': (0,), }", "dtype '<U3' is not supported" },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void RefusesMalformedHeadersWithoutAllocatingTheDeclaredSize(string dict, string problem)
    {
        using var dir = new TempFolder();
        var path = dir.Write("bad.npy", Handmade(dict, 0));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Open(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "opening a lying header allocated more than 1 MB");
        Assert.Contains(problem, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void RefusesBadMagicVersionLengthsAndTruncation()
    {
        using var dir = new TempFolder();
        var good = Fixture("u8_images_v1.npy");

        var magic = (byte[])good.Clone();
        magic[1] = (byte)'X';
        Assert.Contains("magic string", Assert.Throws<InvalidDataException>(() => NpyFile.Open(dir.Write("magic.npy", magic))).Message);

        var version = (byte[])good.Clone();
        version[6] = 4;
        Assert.Contains("format version 4.0 is not supported", Assert.Throws<InvalidDataException>(() => NpyFile.Open(dir.Write("version.npy", version))).Message);

        Assert.Contains("(truncated)", Assert.Throws<InvalidDataException>(() => NpyFile.Open(dir.Write("cut.npy", good[..^1]))).Message);
        Assert.Contains("1 extra", Assert.Throws<InvalidDataException>(() => NpyFile.Open(dir.Write("long.npy", [.. good, 0]))).Message);
        Assert.Contains("too short", Assert.Throws<InvalidDataException>(() => NpyFile.Open(dir.Write("tiny.npy", good[..7]))).Message);
        Assert.Contains("too short", Assert.Throws<InvalidDataException>(() => NpyFile.Open(dir.Write("empty.npy", [])))!.Message);

        var v2 = Fixture("u8_images_v2.npy");
        BinaryPrimitives.WriteUInt32LittleEndian(v2.AsSpan(8), 0xFFFFFFF0);
        Assert.Contains("header length field says 4294967280 bytes", Assert.Throws<InvalidDataException>(() => NpyFile.Open(dir.Write("absurd.npy", v2))).Message);

        var v1 = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(v1.AsSpan(8), 60000);
        Assert.Contains("(truncated)", Assert.Throws<InvalidDataException>(() => NpyFile.Open(dir.Write("hlen.npy", v1))).Message);
    }

    [Theory]
    [InlineData(DataFileAccess.MemoryMapped)]
    [InlineData(DataFileAccess.PositionedReads)]
    public void ReadsConcurrentlyAndReleasesTheFileOnDispose(DataFileAccess access)
    {
        var file = NpyFile.Open(Fixtures.Npy("u8_long_axis.npy"), access);
        var errors = 0;
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var buffer = new byte[17];
            long start = (i * 97L) % (12345 - 17);
            file.Read<byte>(start, buffer);
            for (int k = 0; k < buffer.Length; k++)
                if (buffer[k] != Fixtures.Pattern(start + k)) Interlocked.Increment(ref errors);
        });
        Assert.Equal(0, errors);
        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => file.ReadBytes(0, new byte[1]));
    }

    [Fact]
    public void RefusesOutOfRangeReads()
    {
        using var file = NpyFile.Open(Fixtures.Npy("labels_u8.npy"));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.Read<byte>(3, new byte[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.Read<byte>(-1, new byte[1]));
        Assert.Throws<FileNotFoundException>(() => NpyFile.Open(Fixtures.Npy("does_not_exist.npy")));
    }
}
