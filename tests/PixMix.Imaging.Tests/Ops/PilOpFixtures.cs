using System.IO.Compression;
using System.Text.Json;
using PixMix.Imaging.Ops;
using PixMix.Imaging.Tests.Sources;

namespace PixMix.Imaging.Tests.Ops;

/// <summary>
/// The PIL (Pillow 9.4) outputs of the augmentation operations, produced by Fixtures/pil/gen_pil_fixtures.py:
/// a JSON index and a gzip of the concatenated HWC buffers (inputs, then one output per case).
/// </summary>
internal sealed class PilOpFixtures
{
    /// <summary>One PIL call: the operation, its parameter (null for autocontrast/equalize), its input and PIL's output.</summary>
    internal sealed record Case(PixMixOp Op, double? Param, string InputName, ImageU8 Input, ImageU8 Expected)
    {
        public override string ToString() => $"{Op}({Param?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""}) on {InputName}";
    }

    private static readonly Lazy<PilOpFixtures> Instance = new(Load);

    private PilOpFixtures(string pillowVersion, IReadOnlyDictionary<string, ImageU8> inputs, IReadOnlyList<Case> cases)
    {
        PillowVersion = pillowVersion;
        Inputs = inputs;
        Cases = cases;
    }

    public static PilOpFixtures Shared => Instance.Value;

    public string PillowVersion { get; }

    public IReadOnlyDictionary<string, ImageU8> Inputs { get; }

    public IReadOnlyList<Case> Cases { get; }

    public IEnumerable<Case> For(PixMixOp op) => Cases.Where(c => c.Op == op);

    private static PilOpFixtures Load()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pil");
        string indexPath = Path.Combine(dir, "pil_ops.json"), blobPath = Path.Combine(dir, "pil_ops.bin.gz");
        if (!File.Exists(indexPath) || !File.Exists(blobPath))
            throw new FileNotFoundException($"PIL fixtures missing under {dir}; run Fixtures/pil/gen_pil_fixtures.py and rebuild.");

        byte[] blob;
        using (var gz = new GZipStream(File.OpenRead(blobPath), CompressionMode.Decompress))
        using (var ms = new MemoryStream())
        {
            gz.CopyTo(ms);
            blob = ms.ToArray();
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(indexPath));
        var root = doc.RootElement;
        var inputs = new Dictionary<string, ImageU8>();
        foreach (var e in root.GetProperty("inputs").EnumerateArray())
        {
            int w = e.GetProperty("width").GetInt32(), h = e.GetProperty("height").GetInt32(), c = e.GetProperty("channels").GetInt32();
            inputs[e.GetProperty("name").GetString()!] = Slice(blob, e.GetProperty("offset").GetInt32(), w, h, c);
        }
        var cases = new List<Case>();
        foreach (var e in root.GetProperty("cases").EnumerateArray())
        {
            var op = Enum.Parse<PixMixOp>(e.GetProperty("op").GetString()!);
            var p = e.GetProperty("param");
            double? param = p.ValueKind == JsonValueKind.Null ? null : p.GetDouble();
            string name = e.GetProperty("input").GetString()!;
            var input = inputs[name];
            cases.Add(new Case(op, param, name, input, Slice(blob, e.GetProperty("offset").GetInt32(), input.Width, input.Height, input.Channels)));
        }
        return new PilOpFixtures(root.GetProperty("pillow").GetString()!, inputs, cases);
    }

    private static ImageU8 Slice(byte[] blob, int offset, int w, int h, int c)
    {
        var data = new byte[w * h * c];
        Array.Copy(blob, offset, data, 0, data.Length);
        return new ImageU8(w, h, c, data);
    }
}
