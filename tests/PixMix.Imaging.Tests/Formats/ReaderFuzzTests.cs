using System.Text;
using PixMix.Imaging.Formats;
using PixMix.Imaging.Sources;

namespace PixMix.Imaging.Tests.Formats;

/// <summary>
/// Mutates valid files of each binary format many times (deterministically) and checks that the readers either read
/// them or refuse them with <see cref="InvalidDataException"/>: no other exception, no large allocation. Mutations that
/// only touch pixel data must still read, and read back exactly the mutated bytes.
/// </summary>
[Collection(nameof(MemoryMeasuringCollection))]
public class ReaderFuzzTests
{
    private const int MutationsPerFormat = 2000;

    private sealed record Format(string Name, byte[] Valid, int PayloadStart, bool Gzip, Func<byte[], byte[]> Read, Func<byte[], byte[]> ExpectedPayload);

    private static byte[] ReadNpy(byte[] bytes)
    {
        using var file = NpyFile.FromBytes(bytes);
        var data = new byte[file.Header.DataLength];
        file.ReadBytes(0, data);
        if (file.DType is not (NpyDType.Float32 or NpyDType.Float64) && file.Rank == 1)
        {
            try { file.ReadLabels(); } catch (InvalidDataException) { } // negative or huge label values: a refusal of the content, not the format
        }
        if (file.Rank is 3 or 4 && file.DType == NpyDType.UInt8)
        {
            try
            {
                var source = new NpyImageSource(file, ownsImages: false, 0, file.Shape[0], null, 0, null);
                var image = new byte[source.Width * source.Height * source.Channels];
                for (long i = 0; i < source.Count; i++) source.ReadImage(i, image);
            }
            catch (InvalidDataException) { }
        }
        return data;
    }

    private static byte[] ReadCifar(byte[] bytes, bool cifar100)
    {
        using var source = CifarBinarySource.FromBytes([bytes], cifar100, CifarLabelKind.Fine);
        var all = new byte[source.Count * 3072];
        for (int i = 0; i < source.Count; i++)
        {
            source.ReadImage(i, all.AsSpan(i * 3072, 3072));
            try { source.ReadLabel(i); } catch (InvalidDataException) { }
        }
        return all;
    }

    private static byte[] ExpectedCifar(byte[] bytes, int labelBytes)
    {
        int records = bytes.Length / (labelBytes + 3072);
        var all = new byte[records * 3072];
        for (int r = 0; r < records; r++)
            for (int p = 0; p < 1024; p++)
                for (int c = 0; c < 3; c++)
                    all[r * 3072 + p * 3 + c] = bytes[r * (labelBytes + 3072) + labelBytes + c * 1024 + p];
        return all;
    }

    private static byte[] ReadIdx(byte[] bytes)
    {
        using var file = IdxFile.FromBytes(bytes);
        var data = new byte[file.ElementCount];
        file.Read(0, data);
        if (file.Dimensions.Count == 3)
        {
            try
            {
                using var source = new IdxImageSource(IdxFile.FromBytes(bytes), null);
                var image = new byte[source.Width * source.Height];
                for (long i = 0; i < source.Count; i++) source.ReadImage(i, image);
            }
            catch (InvalidDataException) { }
        }
        return data;
    }

    private static IEnumerable<Format> Formats()
    {
        var v1 = File.ReadAllBytes(Fixtures.Npy("u8_images_v1.npy"));
        var v2 = File.ReadAllBytes(Fixtures.Npy("u8_images_v2.npy"));
        var labels = File.ReadAllBytes(Fixtures.Npy("labels_i8.npy"));
        yield return new("npy v1.0", v1, 128, false, ReadNpy, b => b[128..]);
        yield return new("npy v2.0", v2, 128, false, ReadNpy, b => b[128..]);
        yield return new("npy int64 labels", labels, 128, false, ReadNpy, b => b[128..]);
        var rng = new Random(5);
        var c10 = new byte[2 * 3073];
        rng.NextBytes(c10);
        c10[0] = 3; c10[3073] = 9;
        yield return new("CIFAR-10 bin", c10, -1, false, b => ReadCifar(b, false), b => ExpectedCifar(b, 1));
        var c100 = new byte[2 * 3074];
        rng.NextBytes(c100);
        c100[0] = 3; c100[1] = 77; c100[3074] = 19; c100[3075] = 99;
        yield return new("CIFAR-100 bin", c100, -2, false, b => ReadCifar(b, true), b => ExpectedCifar(b, 2));
        var images = IdxFileTests.Images(4, 6, 5);
        yield return new("idx images", images, 16, false, ReadIdx, b => b[16..]);
        yield return new("idx labels", IdxFileTests.Labels(1, 2, 3, 4, 5, 6, 7), 8, false, ReadIdx, b => b[8..]);
        yield return new("idx images gz", images, 16, true, b => ReadIdx(IdxFileTests.Gzip(b)), b => b[16..]);
    }

    private static readonly byte[] Interesting = [0, 1, 2, 0x7F, 0x80, 0xFE, 0xFF, (byte)'(', (byte)')', (byte)',', (byte)'\'', (byte)'9', (byte)'-', (byte)' ', (byte)'{', (byte)'}', (byte)':', (byte)'L'];
    private static readonly string[] Numbers = ["0", "-1", "99999999999", "4294967296", "9223372036854775807", "9223372036854775808", "1e3", "", "3,", "((1"];
    private static readonly uint[] Dimensions = [0, 1, 28, 60000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x01000000];

    private static byte[] Mutate(Format format, byte[] valid, int op, Random rng)
    {
        var b = new List<byte>(valid);
        int headerEnd = format.PayloadStart > 0 ? format.PayloadStart : Math.Min(valid.Length, 16);
        switch (op)
        {
            case 0: // bit flips anywhere
                for (int n = rng.Next(1, 9); n > 0; n--) b[rng.Next(b.Count)] ^= (byte)(1 << rng.Next(8));
                break;
            case 1: // truncation
                int keep = rng.Next(b.Count);
                b.RemoveRange(keep, b.Count - keep);
                break;
            case 2: // insertion
                var inserted = new byte[rng.Next(1, 17)];
                rng.NextBytes(inserted);
                b.InsertRange(rng.Next(b.Count + 1), inserted);
                break;
            case 3: // deletion
                int at = rng.Next(b.Count);
                b.RemoveRange(at, Math.Min(rng.Next(1, 17), b.Count - at));
                break;
            case 4: // header bytes set to interesting values
                for (int n = rng.Next(1, 4); n > 0; n--) b[rng.Next(headerEnd)] = Interesting[rng.Next(Interesting.Length)];
                break;
            case 5: // header fields
                if (format.Name.StartsWith("npy", StringComparison.Ordinal))
                {
                    var text = Encoding.Latin1.GetString(valid);
                    var digits = Enumerable.Range(0, format.PayloadStart).Where(i => char.IsAsciiDigit(text[i]) && i > 12).ToArray();
                    int d = digits[rng.Next(digits.Length)];
                    int end = d;
                    while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
                    b = [.. Encoding.Latin1.GetBytes(text[..d] + Numbers[rng.Next(Numbers.Length)] + text[end..])];
                }
                else if (format.Name.StartsWith("idx", StringComparison.Ordinal))
                {
                    int dims = valid[3];
                    int which = rng.Next(dims);
                    uint value = Dimensions[rng.Next(Dimensions.Length)];
                    for (int k = 0; k < 4; k++) b[4 + 4 * which + k] = (byte)(value >> (24 - 8 * k));
                }
                else
                {
                    b.AddRange(valid[..(rng.Next(1, 3) * (valid.Length / 2) - rng.Next(2))]); // whole or partial extra records
                }
                break;
            case 6: // payload only: must stay readable
                break;
            default: // trailing garbage
                var tail = new byte[rng.Next(1, 65)];
                rng.NextBytes(tail);
                b.AddRange(tail);
                break;
        }
        return [.. b];
    }

    private static byte[] MutatePayload(Format format, byte[] valid, Random rng)
    {
        var b = (byte[])valid.Clone();
        for (int n = rng.Next(1, 9); n > 0; n--)
        {
            int pos;
            if (format.PayloadStart >= 0) pos = rng.Next(format.PayloadStart, b.Length);
            else
            {
                int labelBytes = -format.PayloadStart, record = labelBytes + 3072;
                pos = rng.Next(b.Length / record) * record + labelBytes + rng.Next(3072);
            }
            b[pos] ^= (byte)(1 << rng.Next(8));
        }
        return b;
    }

    [Fact]
    public void MutatedFilesAreReadOrRefusedWithInvalidDataOnly()
    {
        var failures = new List<string>();
        var tally = new StringBuilder();
        foreach (var format in Formats())
        {
            Assert.Equal(format.ExpectedPayload(format.Valid), format.Read(format.Valid));
            var rng = new Random(format.Name.Length * 7919 + format.Valid.Length);
            int refused = 0, read = 0;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            long maxAllocated = 0;
            for (int m = 0; m < MutationsPerFormat; m++)
            {
                int op = m % 8;
                bool payloadOnly = op == 6;
                byte[] mutated = payloadOnly ? MutatePayload(format, format.Valid, rng) : Mutate(format, format.Valid, op, rng);
                // For the gzip format, odd cases corrupt the compressed stream itself.
                Func<byte[], byte[]> reader = format.Read;
                if (format.Gzip && !payloadOnly && m % 2 == 1)
                {
                    mutated = Mutate(format with { PayloadStart = 10 }, IdxFileTests.Gzip(format.Valid), op, rng);
                    reader = ReadIdx;
                }
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    var payload = reader(mutated);
                    read++;
                    if (payloadOnly && !payload.AsSpan().SequenceEqual(format.ExpectedPayload(mutated)))
                        failures.Add($"{format.Name} #{m}: payload-only mutation read back different bytes");
                }
                catch (InvalidDataException)
                {
                    refused++;
                    if (payloadOnly) failures.Add($"{format.Name} #{m}: payload-only mutation was refused");
                }
                catch (Exception e)
                {
                    failures.Add($"{format.Name} #{m} (op {op}): {e.GetType().Name}: {e.Message}");
                }
                maxAllocated = Math.Max(maxAllocated, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            tally.AppendLine($"{format.Name}: {read} read, {refused} refused, max allocation {maxAllocated} bytes, {watch.ElapsedMilliseconds} ms");
            Assert.True(maxAllocated < 4 << 20, $"{format.Name}: a mutated file of {format.Valid.Length} bytes caused a {maxAllocated}-byte allocation");
            Assert.True(refused > MutationsPerFormat / 4, $"{format.Name}: only {refused} mutations refused; the mutator is not reaching the parser");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)) + "\n" + tally);
    }
}
