using System.Text.Json;
using PixMix.TestSupport;
using PixMix.Imaging.Core;

namespace PixMix.Imaging.Tests.Sources;

/// <summary>
/// Byte-level mutations of Pillow-written JPEGs (Fixtures/jpeg/gen_damaged_jpegs.py: baseline, optimized, progressive,
/// restart intervals, grey), each with Pillow 9.4's verdict: ImageCodec decodes exactly the files Pillow decodes.
/// </summary>
public class DamagedJpegTests
{
    private static readonly string FixtureDir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "jpeg");

    private sealed record Case(string Base, byte[] Bytes, bool PillowDecodes, string Label);

    private static List<Case> LoadCases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDir, "damaged_jpegs.json")));
        var bases = new Dictionary<string, byte[]>();
        var cases = new List<Case>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            string name = c.GetProperty("base").GetString()!;
            if (!bases.TryGetValue(name, out var original))
                bases[name] = original = File.ReadAllBytes(Path.Combine(FixtureDir, "bases", name + ".jpg"));
            var bytes = new List<byte>(original);
            var label = name;
            foreach (var e in c.GetProperty("edits").EnumerateArray())
            {
                string op = e[0].GetString()!;
                int pos = e[1].GetInt32(), value = e[2].GetInt32();
                label += $" {op}@{pos}:{value}";
                switch (op)
                {
                    case "xor": bytes[pos] ^= (byte)value; break;
                    case "set": bytes[pos] = (byte)value; break;
                    case "insert": bytes.Insert(pos, (byte)value); break;
                    case "delete": bytes.RemoveAt(pos); break;
                    case "truncate": bytes.RemoveRange(pos, bytes.Count - pos); break;
                    case "append": bytes.AddRange(Enumerable.Repeat((byte)value, 16)); break;
                    default: throw new InvalidDataException($"unknown edit '{op}' in damaged_jpegs.json");
                }
            }
            cases.Add(new Case(name, bytes.ToArray(), c.GetProperty("pillow_decodes").GetBoolean(), label));
        }
        return cases;
    }

    [Fact]
    public void TheFixturesHoldBothVerdictsForEveryKindOfBase()
    {
        var cases = LoadCases();
        Assert.True(cases.Count > 2000, $"{cases.Count} cases");
        foreach (var kind in new[] { "q50", "q95_optimized", "progressive", "restarts", "grey_progressive" })
        {
            var ofKind = cases.Where(c => c.Base.EndsWith(kind, StringComparison.Ordinal)).ToList();
            Assert.Contains(ofKind, c => c.PillowDecodes);
            Assert.Contains(ofKind, c => !c.PillowDecodes);
        }
    }

    [Fact]
    public void DecodingFromAStreamAcceptsExactlyWhatPillowAccepts()
    {
        var disagreements = new List<string>();
        foreach (var c in LoadCases())
        {
            bool decoded;
            try
            {
                ImageCodec.Decode(new MemoryStream(c.Bytes), 3, c.Label);
                decoded = true;
            }
            catch (InvalidInputDataException e)
            {
                Assert.Contains(c.Label, e.Message);
                decoded = false;
            }
            if (decoded != c.PillowDecodes) disagreements.Add($"{c.Label}: Pillow {(c.PillowDecodes ? "decodes" : "refuses")}");
        }
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Take(20)) + $"\n({disagreements.Count} in all)");
    }

    [Fact]
    public void FolderValidationAndPooledDecodingRefuseWhatPillowRefuses()
    {
        using var t = new TempFolder();
        // Every file Pillow refuses whose pixels SkiaSharp can all decode (the structure check alone decides), plus
        // as many that Pillow decodes.
        var cases = LoadCases();
        var refused = cases.Where(c => !c.PillowDecodes).ToList();
        var accepted = cases.Where(c => c.PillowDecodes).Take(refused.Count).ToList();
        var files = new List<string>();
        var expected = new List<bool>();
        foreach (var c in refused.Concat(accepted))
        {
            files.Add(t.Write($"{files.Count:D4}.jpg", c.Bytes));
            expected.Add(c.PillowDecodes);
        }
        var reasons = ImageCodec.FindUndecodable(files);
        for (int i = 0; i < files.Count; i++)
        {
            Assert.True(expected[i] == (reasons[i] is null), $"{files[i]}: expected {(expected[i] ? "decodable" : "refused")}, reason '{reasons[i]}'");
            if (expected[i])
            {
                var pixels = ImageCodec.DecodePooled(files[i], grayscale: false, out int w, out int h);
                Assert.True(w > 0 && h > 0);
                System.Buffers.ArrayPool<byte>.Shared.Return(pixels);
            }
            else
            {
                var e = Assert.Throws<InvalidInputDataException>(() => ImageCodec.DecodePooled(files[i], grayscale: false, out _, out _));
                Assert.Contains(files[i], e.Message);
            }
        }
    }

    [Fact]
    public void AnUnknownMarkerAfterTheImageDataIsRefusedNamingTheMarkerAndTheFile()
    {
        var original = File.ReadAllBytes(Path.Combine(FixtureDir, "bases", "p1_q50.jpg"));
        Assert.True(ImageCodec.Decode(new MemoryStream(original), 3, "original").Width == 64);
        // Replace the end-of-image marker's code with a code libjpeg does not know: all pixels still decode.
        var damaged = (byte[])original.Clone();
        Assert.Equal(0xD9, damaged[^1]);
        damaged[^1] = 0x10;
        var e = Assert.Throws<InvalidInputDataException>(() => ImageCodec.Decode(new MemoryStream(damaged), 3, "p1_damaged.jpg"));
        Assert.Contains("p1_damaged.jpg", e.Message);
        Assert.Contains("unknown marker 0xFF10", e.Message);
        Assert.Contains($"at byte {damaged.Length - 2}", e.Message);
    }
}
