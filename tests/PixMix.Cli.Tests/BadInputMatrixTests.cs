using PixMix.TestSupport;

namespace PixMix.Cli.Tests;

/// <summary>
/// A tiny 4-class model and its checkpoints, trained once through 'pixmix train' on an idx data set the fixture writes
/// (only built when a row needs it).
/// </summary>
public sealed class BadInputMatrixFixture : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly Lazy<string> _model;

    public BadInputMatrixFixture() => _model = new Lazy<string>(Train);

    /// <summary>The folder holding model.zip, checkpoints/ and the idx data it was trained on (idx/).</summary>
    public string Folder => _model.Value;

    private string Train()
    {
        IdxFiles.WriteDataSet(_folder.File("idx"), train: 16, test: 8, classes: 4);
        CliRunner.RunJson("train", "--data", "idx:" + _folder.File("idx"), "--arch", "small-cnn", "--epochs", "1", "--batch-size", "8",
            "--threads", "1", "--seed", "1", "--checkpoints", _folder.File("checkpoints"), "--output", _folder.File("model.zip"), "--json");
        return _folder.Path;
    }

    public void Dispose() => _folder.Dispose();
}

/// <summary>
/// The bad-input matrix: one row per case over every command (option values, missing files, wrong formats, damaged
/// pictures, idx and CIFAR-C layouts, checkpoints and models of another run), each with the files it needs written
/// here, the exit code expected and the words the message must contain. Exit 2 rows also check that the error is one
/// line naming the input; the exit 0 rows are the --skip-unreadable and idx cases that must succeed and say so.
/// </summary>
public class BadInputMatrixTests(BadInputMatrixFixture fx) : IClassFixture<BadInputMatrixFixture>
{
    /// <summary>One case. In Args and Fragments, {d} is the row's own temporary folder and {m} the shared model folder.</summary>
    private sealed record Row(string Name, string[] Args, Action<string>? Setup, int Code, params string[] Fragments)
    {
        /// <summary>A setup that also needs the shared model folder: (row folder, model folder).</summary>
        public Action<string, string>? ModelSetup { get; init; }
    }

    private static readonly string[] Tiny = ["--arch", "small-cnn", "--epochs", "1", "--batch-size", "8", "--threads", "1"];

    private static void Idx(string d, int train = 16, int test = 8, int classes = 4, bool gzip = false, string sub = "idx", string prefix = "")
        => IdxFiles.WriteDataSet(Path.Combine(d, sub), train, test, classes, gzip: gzip, prefix: prefix);

    private static void Pictures(string folder, string cutName, bool classFolders)
    {
        string[] classes = classFolders ? ["a", "b", "c", "d"] : [""];
        for (int i = 0; i < classes.Length; i++)
        {
            PictureFiles.Write(Path.Combine(folder, classes[i], "1.png"), seed: i + 1);
            PictureFiles.Write(Path.Combine(folder, classes[i], "2.jpg"), seed: i + 11);
        }
        PictureFiles.Write(Path.Combine(folder, classes[^1], cutName), truncated: true);
    }

    // A whole JPEG whose end-of-image marker code is replaced by one libjpeg does not know: SkiaSharp decodes every
    // pixel, Pillow refuses the file.
    private static void JpegWithUnknownMarker(string path)
    {
        PictureFiles.Write(path, seed: 5);
        var bytes = File.ReadAllBytes(path);
        if (bytes[^2] != 0xFF || bytes[^1] != 0xD9) throw new InvalidOperationException($"{path} does not end with an end-of-image marker");
        bytes[^1] = 0x10;
        File.WriteAllBytes(path, bytes);
    }

    // A copy of a file with one byte flipped halfway through it.
    private static void Flipped(string from, string to)
    {
        var bytes = File.ReadAllBytes(from);
        bytes[bytes.Length / 2] ^= 0x08;
        File.WriteAllBytes(to, bytes);
    }

    // A copy of the model as the format without entry hashes wrote it (format version 1, no "entries").
    private static void WithoutHashes(string from, string to)
    {
        File.Copy(from, to);
        using (var zip = System.IO.Compression.ZipFile.Open(to, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("manifest.json")!;
            System.Text.Json.Nodes.JsonObject manifest;
            using (var s = entry.Open()) manifest = System.Text.Json.Nodes.JsonNode.Parse(s)!.AsObject();
            manifest["formatVersion"] = 1;
            manifest.Remove("entries");
            entry.Delete();
            using var w = new StreamWriter(zip.CreateEntry("manifest.json").Open());
            w.Write(manifest.ToJsonString());
        }
        PixMix.MLNet.Tests.Persistence.ZipLayout.Reseal(to);
    }

    private static void Fifo(string path)
    {
        using var p = System.Diagnostics.Process.Start("mkfifo", path);
        p.WaitForExit();
    }

    // A torch.save-like zip whose data.pkl is the given pickle, with an optional storage entry data/0.
    internal static void Checkpoint(string path, byte[] pickle, byte[]? storage = null)
    {
        using var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create);
        using (var s = zip.CreateEntry("archive/data.pkl").Open()) s.Write(pickle);
        if (storage is not null)
            using (var s = zip.CreateEntry("archive/data/0", System.IO.Compression.CompressionLevel.SmallestSize).Open()) s.Write(storage);
    }

    // Protocol-2 pickle bytes: os.system('touch <marker>').
    private static byte[] SystemCall(string marker) =>
        [0x80, 2, .. "cos\nsystem\n(X"u8, .. BitConverter.GetBytes(6 + marker.Length), .. System.Text.Encoding.UTF8.GetBytes("touch " + marker), .. "tR."u8];

    // A state dict {'fc.weight': FloatStorage '0' of n elements, shape (n,)}.
    internal static byte[] OneTensor(int n)
    {
        var b = new List<byte> { 0x80, 2, (byte)'}', 0x8c, 9 };
        b.AddRange("fc.weight"u8.ToArray());
        b.AddRange("ctorch._utils\n_rebuild_tensor_v2\n((X"u8.ToArray());
        b.AddRange(BitConverter.GetBytes(7)); b.AddRange("storage"u8.ToArray());
        b.AddRange("ctorch\nFloatStorage\nX"u8.ToArray()); b.AddRange(BitConverter.GetBytes(1)); b.Add((byte)'0');
        b.Add((byte)'X'); b.AddRange(BitConverter.GetBytes(3)); b.AddRange("cpu"u8.ToArray());
        b.Add((byte)'J'); b.AddRange(BitConverter.GetBytes(n));
        b.AddRange("tQK\0"u8.ToArray());
        b.Add((byte)'J'); b.AddRange(BitConverter.GetBytes(n)); b.Add(0x85);
        b.AddRange("K\x01"u8.ToArray()); b.Add(0x85); b.Add(0x89);
        b.AddRange("ccollections\nOrderedDict\n)RtRs."u8.ToArray());
        return [.. b];
    }

    private static void Text(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static void Npy(string path, int count, params int[] shape)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        long n = 1;
        foreach (var s in shape) n *= s;
        PixMix.Imaging.Formats.NpyWriter.Write(path, new byte[count * n], [count, .. shape]);
    }

    // A CIFAR-C layout of 32x32 RGB images (all black) with one labels file of N labels.
    private static void CFolder(string folder, int perSeverity, params byte[] labels)
    {
        Npy(Path.Combine(folder, "fog.npy"), 5 * perSeverity, 32, 32, 3);
        PixMix.Imaging.Formats.NpyWriter.Write(Path.Combine(folder, "labels.npy"), labels, [labels.Length]);
    }

    // Two classes of pictures under {d}/pics and a model trained on them through 'pixmix train' at --size 16.
    private static void FolderModel(string d)
    {
        foreach (var c in new[] { "a", "b" })
            for (int i = 0; i < 3; i++) PictureFiles.Write(Path.Combine(d, "pics", c, $"{i}.png"), seed: c[0] * 10 + i);
        CliRunner.RunJson(["train", "--data", "folder:" + Path.Combine(d, "pics"), "--size", "16", "--no-pixmix", .. Tiny, "--output", Path.Combine(d, "m.zip"), "--json"]);
    }

    private static readonly Row[] Rows =
    [
        // train: data references and idx layouts
        new("train unknown data set", ["train", "--data", "svhn", .. Tiny, "--output", "{d}/m.zip"], null, 2, "--data", "svhn", "not a known data set"),
        new("train cifar10 without folder", ["train", "--data", "cifar10", "--output", "{d}/m.zip"], null, 2, "needs a folder"),
        new("train missing folder", ["train", "--data", "folder:{d}/none", "--output", "{d}/m.zip"], null, 2, "{d}/none", "does not exist"),
        new("train idx empty folder", ["train", "--data", "idx:{d}/idx", "--output", "{d}/m.zip"], d => Directory.CreateDirectory(Path.Combine(d, "idx")), 2, "holds no idx data set", "the folder is empty", "train-images-idx3-ubyte"),
        new("train idx only other files", ["train", "--data", "idx:{d}/idx", "--output", "{d}/m.zip"], d => Text(Path.Combine(d, "idx", "readme.txt"), "x"), 2, "holds no idx data set", "found readme.txt"),
        new("train idx image and label counts differ", ["train", "--data", "idx:{d}/idx", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d); File.WriteAllBytes(Path.Combine(d, "idx", "train-labels-idx1-ubyte"), IdxFiles.Encode([15], new byte[15])); }, 2, "holds 16 images", "holds 15 labels"),
        new("train idx bad gzip", ["train", "--data", "idx:{d}/idx", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d, gzip: true); var p = Path.Combine(d, "idx", "train-images-idx3-ubyte.gz"); var b = File.ReadAllBytes(p); File.WriteAllBytes(p, b[..(b.Length / 2)]); }, 2, "train-images-idx3-ubyte.gz", "truncated"),
        new("train idx not gzip inside", ["train", "--data", "idx:{d}/idx", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d, gzip: true); File.WriteAllBytes(Path.Combine(d, "idx", "train-images-idx3-ubyte.gz"), [0x1F, 0x8B, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); }, 2, "train-images-idx3-ubyte.gz", "gzip"),
        new("train idx missing labels file", ["train", "--data", "idx:{d}/idx", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d); File.Delete(Path.Combine(d, "idx", "train-labels-idx1-ubyte")); }, 2, "lacks train-labels-idx1-ubyte", "t10k-images-idx3-ubyte"),
        new("train idx raw file truncated", ["train", "--data", "idx:{d}/idx", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d); var p = Path.Combine(d, "idx", "train-images-idx3-ubyte"); var b = File.ReadAllBytes(p); File.WriteAllBytes(p, b[..1000]); }, 2, "train-images-idx3-ubyte", "truncated"),
        new("train idx labels file with images magic", ["train", "--data", "idx:{d}/idx", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d); File.Copy(Path.Combine(d, "idx", "train-images-idx3-ubyte"), Path.Combine(d, "idx", "train-labels-idx1-ubyte"), true); }, 2, "train-labels-idx1-ubyte", "3 dimensions"),
        new("train idx two EMNIST splits", ["train", "--data", "idx:{d}/idx", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d, gzip: true, prefix: "emnist-digits"); Idx(d, gzip: true, prefix: "emnist-letters"); }, 2, "emnist-digits", "emnist-letters", "name one"),
        new("train idx unknown prefix", ["train", "--data", "idx:{d}/idx/emnist-mnist", .. Tiny, "--output", "{d}/m.zip"],
            d => Idx(d, prefix: "emnist-digits"), 2, "prefix 'emnist-mnist-'", "emnist-digits"),
        new("train idx label beyond classes.txt", ["train", "--data", "idx:{d}/idx", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d); Text(Path.Combine(d, "idx", "classes.txt"), "zero\none\n"); }, 2, "train-labels-idx1-ubyte", "there are 2 classes"),
        new("train idx classes.txt with one name", ["train", "--data", "idx:{d}/idx", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d); Text(Path.Combine(d, "idx", "classes.txt"), "only\n"); }, 2, "classes.txt", "at least 2"),
        new("train fashion-mnist checksum mismatch", ["train", "--data", "fashion-mnist:{d}/idx", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d, classes: 10); Text(Path.Combine(d, "idx", "SHA256SUMS"), string.Concat(Enumerable.Repeat("0", 64)) + "  train-images-idx3-ubyte\n" + string.Concat(Enumerable.Repeat("0", 64)) + "  train-labels-idx1-ubyte\n"); }, 2, "train-images-idx3-ubyte", "fails its checksum"),
        new("train fashion-mnist empty folder", ["train", "--data", "fashion-mnist:{d}", .. Tiny, "--output", "{d}/m.zip"], null, 2, "{d}", "holds neither the Fashion-MNIST idx files"),
        new("train idx from another source succeeds", ["train", "--data", "idx:{d}/idx", .. Tiny, "--limit", "8", "--output", "{d}/m.zip", "--json"],
            d => Idx(d, gzip: true, classes: 3), 0, "\"classes\":3", "\"images\":8"),
        // train: option values
        new("train epochs out of range", ["train", "--epochs", "0", "--output", "{d}/m.zip"], null, 2, "--epochs", "1..100000"),
        new("train unknown architecture", ["train", "--arch", "vgg", "--output", "{d}/m.zip"], null, 2, "--arch", "vgg"),
        new("train depth not 6n+4", ["train", "--arch", "wrn", "--depth", "11", "--output", "{d}/m.zip"], null, 2, "--depth", "6n + 4"),
        new("train pixmix and no-pixmix", ["train", "--pixmix", "--no-pixmix", "--output", "{d}/m.zip"], null, 2, "--pixmix and --no-pixmix"),
        new("train seed beyond 32 bits", ["train", "--seed", "99999999999", "--output", "{d}/m.zip"], null, 2, "--seed", "32 bits"),
        new("train output is a folder", ["train", "--output", "{d}"], null, 2, "--output", "is a folder"),
        new("train missing output", ["train", "--epochs", "1"], null, 2, "--output"),
        new("train unknown option", ["train", "--colour", "--output", "{d}/m.zip"], null, 2, "--colour"),
        // train: mixing folders and folder data with damaged pictures
        new("train mixing folder missing", ["train", "--mixing", "{d}/none", "--output", "{d}/m.zip"], null, 2, "--mixing", "{d}/none"),
        new("train mixing truncated png", ["train", "--data", "idx:{d}/idx", "--mixing", "{d}/mix", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d); Pictures(Path.Combine(d, "mix"), "cut.png", false); }, 2, "{d}/mix/cut.png", "truncated", "--skip-unreadable"),
        new("train mixing truncated gif skipped", ["train", "--data", "idx:{d}/idx", "--mixing", "{d}/mix", "--skip-unreadable", .. Tiny, "--limit", "8", "--output", "{d}/m.zip", "--json"],
            d => { Idx(d); Pictures(Path.Combine(d, "mix"), "cut.gif", false); }, 0, "\"skippedMixingPictures\":1", "cut.gif"),
        new("train mixing only damaged pictures", ["train", "--data", "idx:{d}/idx", "--mixing", "{d}/mix", "--skip-unreadable", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d); PictureFiles.Write(Path.Combine(d, "mix", "cut.webp"), truncated: true); }, 2, "{d}/mix", "holds no readable picture", "1 unreadable file(s) skipped"),
        new("train folder data truncated jpeg", ["train", "--data", "folder:{d}/pics", "--no-pixmix", .. Tiny, "--output", "{d}/m.zip"],
            d => Pictures(Path.Combine(d, "pics"), "cut.jpg", true), 2, "{d}/pics/d/cut.jpg", "truncated"),
        new("train folder data jpeg with an unknown marker", ["train", "--data", "folder:{d}/pics", "--no-pixmix", .. Tiny, "--output", "{d}/m.zip"],
            d => { Pictures(Path.Combine(d, "pics"), "cut.png", true); File.Delete(Path.Combine(d, "pics", "d", "cut.png")); JpegWithUnknownMarker(Path.Combine(d, "pics", "c", "marker.jpg")); },
            2, "{d}/pics/c/marker.jpg", "unknown marker 0xFF10"),
        new("train mixing jpeg with an unknown marker", ["train", "--data", "idx:{d}/idx", "--mixing", "{d}/mix", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d); PictureFiles.Write(Path.Combine(d, "mix", "1.png"), seed: 1); JpegWithUnknownMarker(Path.Combine(d, "mix", "marker.jpg")); },
            2, "{d}/mix/marker.jpg", "unknown marker 0xFF10", "--skip-unreadable"),
        new("train folder data truncated bmp skipped", ["train", "--data", "folder:{d}/pics", "--skip-unreadable", "--no-pixmix", .. Tiny, "--output", "{d}/m.zip", "--json"],
            d => Pictures(Path.Combine(d, "pics"), "cut.bmp", true), 0, "\"skippedImages\":1", "cut.bmp", "\"images\":8"),
        new("train folder data with no class folders", ["train", "--data", "folder:{d}/pics", .. Tiny, "--output", "{d}/m.zip"],
            d => PictureFiles.Write(Path.Combine(d, "pics", "loose.png")), 2, "{d}/pics", "class sub-folders"),
        // train: checkpoints
        new("train resume from nothing", ["train", "--resume", "{d}/none.ckpt", "--output", "{d}/m.zip"], null, 2, "--resume", "{d}/none.ckpt"),
        new("train resume from a text file", ["train", "--data", "idx:{d}/idx", "--resume", "{d}/x.ckpt", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d); Text(Path.Combine(d, "x.ckpt"), "not a zip"); }, 2, "{d}/x.ckpt", "not a training checkpoint"),
        new("train resume from an empty checkpoint folder", ["train", "--data", "idx:{d}/idx", "--resume", "{d}/ck", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d); Directory.CreateDirectory(Path.Combine(d, "ck")); }, 2, "{d}/ck", "holds no checkpoint"),
        new("train resume checkpoint of another network", ["train", "--data", "idx:{m}/idx", "--resume", "{m}/checkpoints", "--arch", "wrn", "--depth", "10", "--widen", "1",
            "--epochs", "1", "--batch-size", "8", "--threads", "1", "--seed", "1", "--output", "{d}/m.zip"], null, 2, "{m}/checkpoints/", "different network"),
        new("train resume damaged checkpoint", ["train", "--data", "idx:{m}/idx", "--resume", "{d}/c.ckpt", .. Tiny, "--seed", "1", "--output", "{d}/m.zip"], null, 2, "{d}/c.ckpt", "is damaged: entry '")
            { ModelSetup = (d, m) => Flipped(Path.Combine(m, "checkpoints", "epoch-0001.ckpt"), Path.Combine(d, "c.ckpt")) },
        new("train resume checkpoint of another seed", ["train", "--data", "idx:{m}/idx", "--resume", "{m}/checkpoints", .. Tiny, "--seed", "2", "--output", "{d}/m.zip"], null, 2, "{m}/checkpoints/", "Seed 1"),
        // evaluate
        new("evaluate missing model", ["evaluate", "--model", "{d}/none.zip"], null, 2, "--model", "{d}/none.zip"),
        new("evaluate model that is text", ["evaluate", "--model", "{d}/m.zip", "--limit", "4"], d => Text(Path.Combine(d, "m.zip"), "text"), 2, "{d}/m.zip"),
        new("evaluate damaged model", ["evaluate", "--model", "{d}/m.zip", "--test", "idx:{m}/idx", "--limit", "4"], null, 2, "{d}/m.zip", "is damaged: entry '")
            { ModelSetup = (d, m) => Flipped(Path.Combine(m, "model.zip"), Path.Combine(d, "m.zip")) },
        new("evaluate model of the format without hashes", ["evaluate", "--model", "{d}/m.zip", "--test", "idx:{m}/idx", "--limit", "4"], null, 2, "{d}/m.zip", "records no hashes", "Re-save the model")
            { ModelSetup = (d, m) => WithoutHashes(Path.Combine(m, "model.zip"), Path.Combine(d, "m.zip")) },
        new("evaluate idx gzip test set with a cut-off trailer", ["evaluate", "--model", "{m}/model.zip", "--test", "idx:{d}/idx", "--limit", "4"],
            d => { Idx(d, gzip: true); var p = Path.Combine(d, "idx", "t10k-images-idx3-ubyte.gz"); var b = File.ReadAllBytes(p); File.WriteAllBytes(p, b[..^4]); }, 2, "t10k-images-idx3-ubyte.gz", "cut off"),
        new("evaluate class-count mismatch", ["evaluate", "--model", "{m}/model.zip", "--test", "fashion-mnist", "--limit", "4"], null, 2, "Class-count mismatch", "{m}/model.zip", "4 classes", "fashion-mnist", "10 classes"),
        new("evaluate corrupted folder with only labels", ["evaluate", "--model", "{m}/model.zip", "--test", "idx:{m}/idx", "--corrupted", "{d}/c"],
            d => Npy(Path.Combine(d, "c", "labels.npy"), 8), 2, "{d}/c", "holds no <corruption>.npy", "it holds labels.npy", "expected one uint8"),
        new("evaluate corrupted labels count mismatch", ["evaluate", "--model", "{m}/model.zip", "--test", "idx:{m}/idx", "--corrupted", "{d}/c"],
            d => { Npy(Path.Combine(d, "c", "fog.npy"), 40, 32, 32, 3); Npy(Path.Combine(d, "c", "labels.npy"), 7); }, 2, "{d}/c/labels.npy", "holds 7 labels", "{d}/c/fog.npy", "expected 40 labels"),
        new("evaluate corrupted folder of another test set", ["evaluate", "--model", "{m}/model.zip", "--test", "idx:{m}/idx", "--corrupted", "{d}/c"],
            d => CFolder(Path.Combine(d, "c"), 12, [.. Enumerable.Range(0, 12).Select(i => (byte)(i % 4))]), 2,
            "Corrupted folder '{d}/c' does not match the test set", "(8 images)", "'{d}/c/fog.npy' holds 12 images per severity", "{d}/c/labels.npy", "12 corrupted rows would be scored against 8 clean ones"),
        new("evaluate corrupted folder with permuted labels", ["evaluate", "--model", "{m}/model.zip", "--test", "idx:{m}/idx", "--corrupted", "{d}/c"],
            d => CFolder(Path.Combine(d, "c"), 8, 1, 0, 2, 3, 0, 1, 2, 3), 2,
            "does not match the test set", "(8 images)", "labels file '{d}/c/labels.npy' gives row 0 of severity 1 label 1", "where the test set has 0"),
        new("evaluate corrupted folder of the first 4 test images with --limit 4 succeeds", ["evaluate", "--model", "{m}/model.zip", "--test", "idx:{m}/idx", "--corrupted", "{d}/c", "--limit", "4", "--json"],
            d => CFolder(Path.Combine(d, "c"), 4, 0, 1, 2, 3), 0, "\"examples\":4", "\"corruptionError\":"),
        new("evaluate folder test set at another --size than the model's", ["evaluate", "--model", "{d}/m.zip", "--test", "folder:{d}/pics", "--size", "24"],
            FolderModel, 2, "--size 24", "{d}/m.zip", "16x16", "--size 16"),
        new("evaluate corrupted missing folder", ["evaluate", "--model", "{m}/model.zip", "--corrupted", "{d}/none"], null, 2, "--corrupted", "{d}/none"),
        new("evaluate corrupted and generated", ["evaluate", "--model", "{m}/model.zip", "--corrupted", "{d}", "--generate-corruptions"], null, 2, "exclude each other"),
        new("evaluate unknown ood set", ["evaluate", "--model", "{m}/model.zip", "--ood", "uniform"], null, 2, "--ood", "uniform"),
        new("evaluate severities out of range", ["evaluate", "--model", "{m}/model.zip", "--severities", "0-9"], null, 2, "--severities"),
        new("evaluate unknown corruption", ["evaluate", "--model", "{m}/model.zip", "--corruptions", "haze"], null, 2, "--corruptions", "haze"),
        new("evaluate output is a file", ["evaluate", "--model", "{m}/model.zip", "--output", "{d}/f"], d => Text(Path.Combine(d, "f"), "x"), 2, "--output", "is a file"),
        new("evaluate folder test set truncated webp", ["evaluate", "--model", "{m}/model.zip", "--test", "folder:{d}/pics"],
            d => Pictures(Path.Combine(d, "pics"), "cut.webp", true), 2, "{d}/pics/d/cut.webp", "truncated"),
        new("evaluate folder test set truncated png skipped", ["evaluate", "--model", "{m}/model.zip", "--test", "folder:{d}/pics", "--skip-unreadable", "--json"],
            d => Pictures(Path.Combine(d, "pics"), "cut.png", true), 0, "\"skippedImages\":1", "cut.png", "\"examples\":8"),
        new("evaluate idx test set grey for an RGB model", ["evaluate", "--model", "{m}/model.zip", "--test", "idx:{m}/idx", "--grey"], null, 2, "Image-shape mismatch", "{m}/model.zip", "32x32", "28x28"),
        // corrupt
        new("corrupt severities subset", ["corrupt", "--severities", "2", "--output", "{d}/c"], null, 2, "--severities", "1-5"),
        new("corrupt output is a file", ["corrupt", "--output", "{d}/f"], d => Text(Path.Combine(d, "f"), "x"), 2, "--output", "is a file"),
        new("corrupt idx counts differ", ["corrupt", "--data", "idx:{d}/idx", "--split", "test", "--output", "{d}/c"],
            d => { Idx(d); File.WriteAllBytes(Path.Combine(d, "idx", "t10k-labels-idx1-ubyte"), IdxFiles.Encode([9], new byte[9])); }, 2, "holds 8 images", "holds 9 labels"),
        new("corrupt folder data truncated bmp", ["corrupt", "--data", "folder:{d}/pics", "--corruptions", "contrast", "--threads", "1", "--output", "{d}/c"],
            d => Pictures(Path.Combine(d, "pics"), "cut.bmp", true), 2, "{d}/pics/d/cut.bmp", "truncated"),
        new("corrupt split value", ["corrupt", "--split", "validation", "--output", "{d}/c"], null, 2, "--split", "validation"),
        // fractals
        new("fractals count zero", ["fractals", "--count", "0", "--output", "{d}/f"], null, 2, "--count"),
        new("fractals size too small", ["fractals", "--size", "2", "--output", "{d}/f"], null, 2, "--size"),
        // augment
        new("augment missing input", ["augment", "--input", "{d}/none.png", "--output", "{d}/g.png"], null, 2, "--input", "{d}/none.png"),
        new("augment truncated input", ["augment", "--input", "{d}/cut.png", "--output", "{d}/g.png"], d => PictureFiles.Write(Path.Combine(d, "cut.png"), truncated: true), 2, "{d}/cut.png", "truncated"),
        new("augment input folder truncated jpeg skipped", ["augment", "--input", "{d}/in", "--skip-unreadable", "--samples", "1", "--size", "16", "--output", "{d}/g.png", "--json"],
            d => Pictures(Path.Combine(d, "in"), "cut.jpg", false), 0, "\"skipped\":1", "cut.jpg", "\"images\":2"),
        new("augment mixing truncated webp", ["augment", "--mixing", "{d}/mix", "--samples", "1", "--size", "16", "--output", "{d}/g.png"],
            d => Pictures(Path.Combine(d, "mix"), "cut.webp", false), 2, "{d}/mix/cut.webp", "--skip-unreadable"),
        new("augment mixing missing", ["augment", "--mixing", "{d}/none", "--output", "{d}/g.png"], null, 2, "--mixing", "{d}/none"),
        new("augment samples zero", ["augment", "--samples", "0", "--output", "{d}/g.png"], null, 2, "--samples"),
        // import-pytorch
        new("import-pytorch missing checkpoint", ["import-pytorch", "--checkpoint", "{d}/none.pth", "--output", "{d}/m.zip"], null, 2, "--checkpoint", "{d}/none.pth"),
        new("import-pytorch text checkpoint", ["import-pytorch", "--checkpoint", "{d}/x.pth", "--output", "{d}/m.zip"], d => Text(Path.Combine(d, "x.pth"), "text"), 2, "{d}/x.pth"),
        new("import-pytorch channels out of range", ["import-pytorch", "--checkpoint", "{d}/x.pth", "--channels", "4", "--output", "{d}/m.zip"], null, 2, "--channels"),
        new("import-pytorch unknown architecture", ["import-pytorch", "--checkpoint", "{d}/x.pth", "--arch", "small-cnn", "--output", "{d}/m.zip"], null, 2, "--arch"),
        // export-onnx
        new("export-onnx missing model", ["export-onnx", "--model", "{d}/none.zip", "--output", "{d}/m.onnx"], null, 2, "--model", "{d}/none.zip"),
        new("export-onnx text model", ["export-onnx", "--model", "{d}/x.zip", "--output", "{d}/m.onnx"], d => Text(Path.Combine(d, "x.zip"), "text"), 2, "{d}/x.zip"),
        new("export-onnx output is the model", ["export-onnx", "--model", "{d}/x.zip", "--output", "{d}/x.zip"], d => Text(Path.Combine(d, "x.zip"), "text"), 2, "--output"),
        // bench
        new("bench augment zero seconds", ["bench", "augment", "--seconds", "0"], null, 2, "--seconds"),
        new("bench pipeline size too small", ["bench", "pipeline", "--size", "2"], null, 2, "--size"),
        new("bench unknown subcommand", ["bench", "warp"], null, 2, "warp"),
        new("bench augment data folder missing", ["bench", "augment", "--data", "{d}/none", "--seconds", "0.1"], null, 2, "--data", "{d}/none"),
        new("bench augment data folder without fashion-mnist", ["bench", "augment", "--data", "{d}/empty", "--seconds", "0.1"], d => Directory.CreateDirectory(Path.Combine(d, "empty")), 2, "{d}/empty", "Fashion-MNIST"),
        new("bench train data folder missing", ["bench", "train", "--data", "{d}/none"], null, 2, "--data", "{d}/none"),
        new("bench train data folder without fashion-mnist", ["bench", "train", "--data", "{d}/empty"], d => Directory.CreateDirectory(Path.Combine(d, "empty")), 2, "{d}/empty", "Fashion-MNIST"),
        // demo
        new("demo data folder missing", ["demo", "--data", "{d}/none", "--output", "{d}/out"], null, 2, "--data", "{d}/none"),
        new("demo output is a file", ["demo", "--output", "{d}/f"], d => Text(Path.Combine(d, "f"), "x"), 2, "--output", "is a file"),
        new("demo seeds out of range", ["demo", "--seeds", "0", "--output", "{d}/out"], null, 2, "--seeds"),
        new("demo learning rate out of range", ["demo", "--lr", "0", "--output", "{d}/out"], null, 2, "--lr"),
        new("demo data folder without fashion-mnist", ["demo", "--data", "{d}/empty", "--output", "{d}/out", "--quick"], d => Directory.CreateDirectory(Path.Combine(d, "empty")), 2, "{d}/empty", "Fashion-MNIST"),
        // outputs that would destroy: devices, FIFOs, links, the command's own inputs, data folders
        new("train output is a device", ["train", "--data", "idx:{m}/idx", .. Tiny, "--output", "/dev/null"], null, 2, "--output", "/dev/null", "character device"),
        new("train output is a fifo", ["train", "--data", "idx:{m}/idx", .. Tiny, "--output", "{d}/pipe"], d => Fifo(Path.Combine(d, "pipe")), 2, "{d}/pipe", "FIFO"),
        new("train output is a symbolic link", ["train", "--data", "idx:{m}/idx", .. Tiny, "--output", "{d}/link.zip"],
            d => { Text(Path.Combine(d, "real.zip"), "x"); File.CreateSymbolicLink(Path.Combine(d, "link.zip"), Path.Combine(d, "real.zip")); }, 2, "{d}/link.zip", "symbolic link"),
        new("train output is the resumed checkpoint", ["train", "--data", "idx:{m}/idx", .. Tiny, "--resume", "{d}/ck", "--output", "{d}/ck"], d => Text(Path.Combine(d, "ck"), "x"), 2, "{d}/ck", "is the input"),
        new("import-pytorch output is a link to the checkpoint", ["import-pytorch", "--checkpoint", "{d}/x.pth", "--output", "{d}/other/../x.pth"],
            d => { Text(Path.Combine(d, "x.pth"), "text"); Directory.CreateDirectory(Path.Combine(d, "other")); }, 2, "is the input"),
        new("train checkpoints in the data folder", ["train", "--data", "idx:{m}/idx", .. Tiny, "--checkpoints", "{m}/idx", "--output", "{d}/m.zip"], null, 2, "--checkpoints", "overlaps"),
        new("import-pytorch output is the checkpoint", ["import-pytorch", "--checkpoint", "{d}/x.pth", "--output", "{d}/x.pth"], d => Text(Path.Combine(d, "x.pth"), "text"), 2, "{d}/x.pth", "is the input"),
        new("augment output is an input picture", ["augment", "--input", "{d}/a.png", "--output", "{d}/a.png"], d => PictureFiles.Write(Path.Combine(d, "a.png")), 2, "{d}/a.png", "is the input"),
        new("corrupt output inside the data folder", ["corrupt", "--data", "idx:{m}/idx", "--output", "{m}/idx/c"], null, 2, "{m}/idx/c", "overlaps"),
        new("evaluate output holds the model", ["evaluate", "--model", "{m}/model.zip", "--test", "idx:{m}/idx", "--output", "{m}"], null, 2, "--output", "overlaps"),
        new("fractals output is a device", ["fractals", "--count", "1", "--output", "/dev/full"], null, 2, "/dev/full", "character device"),
        new("fractals into a folder holding files", ["fractals", "--count", "2", "--size", "16", "--output", "{d}/f"], d => Text(Path.Combine(d, "f", "mine.txt"), "x"), 2, "{d}/f", "not empty"),
        new("corrupt into a set of other settings", ["corrupt", "--data", "idx:{m}/idx", "--corruptions", "fog", "--seed", "2", "--output", "{d}/c"],
            d => Text(Path.Combine(d, "c", ".pixmix-set.json"), "images=8; size=32x32x3; labels=True; seed=1; parameters=auto"), 2, "{d}/c", "seed=1", "seed=2"),
        new("corrupt into a folder of another set", ["corrupt", "--data", "idx:{m}/idx", "--corruptions", "fog", "--output", "{d}/c"], d => Npy(Path.Combine(d, "c", "snow.npy"), 8), 2, "{d}/c", "did not start"),
        new("train output name too long", ["train", "--data", "idx:{m}/idx", .. Tiny, "--output", "{d}/" + new string('m', 240) + ".zip"], null, 2, "--output", "bytes long"),
        new("fractals output name too long", ["fractals", "--count", "1", "--output", "{d}/" + new string('f', 240)], null, 2, "--output", "bytes long"),
        new("train unknown device", ["train", "--data", "idx:{m}/idx", .. Tiny, "--device", "gpu", "--output", "{d}/m.zip"], null, 2, "--device", "gpu"),
        new("train checkpoints is a file", ["train", "--data", "idx:{m}/idx", .. Tiny, "--checkpoints", "{d}/ck", "--output", "{d}/m.zip"], d => Text(Path.Combine(d, "ck"), "x"), 2, "--checkpoints", "is a file"),
        // hostile inputs: bounded memory and safe file walks
        new("import-pytorch pickle calling os.system", ["import-pytorch", "--checkpoint", "{d}/x.pth", "--output", "{d}/m.zip"],
            d => Checkpoint(Path.Combine(d, "x.pth"), SystemCall(Path.Combine(d, "ran"))), 2, "{d}/x.pth", "'os.system'", "refused"),
        new("import-pytorch deflated storage bomb", ["import-pytorch", "--checkpoint", "{d}/x.pth", "--output", "{d}/m.zip"],
            d => Checkpoint(Path.Combine(d, "x.pth"), OneTensor(16 << 20), new byte[64 << 20]), 2, "{d}/x.pth", "archive/data/0", "at most 100x"),
        new("import-pytorch checkpoint is a fifo", ["import-pytorch", "--checkpoint", "{d}/x.pth", "--output", "{d}/m.zip"], d => Fifo(Path.Combine(d, "x.pth")), 2, "{d}/x.pth", "FIFO"),
        new("train mixing picture declaring 16384x16384 pixels", ["train", "--data", "idx:{d}/idx", "--mixing", "{d}/mix", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d); Directory.CreateDirectory(Path.Combine(d, "mix")); File.WriteAllBytes(Path.Combine(d, "mix", "big.png"), PictureFiles.PngDeclaring(16384)); },
            2, "{d}/mix/big.png", "picture budget"),
        new("augment input picture is a fifo", ["augment", "--input", "{d}/p.png", "--output", "{d}/out.png"], d => Fifo(Path.Combine(d, "p.png")), 2, "{d}/p.png", "FIFO"),
        new("idx data file is a fifo", ["train", "--data", "idx:{d}/idx", .. Tiny, "--output", "{d}/m.zip"],
            d => { Idx(d); File.Delete(Path.Combine(d, "idx", "train-images-idx3-ubyte")); Fifo(Path.Combine(d, "idx", "train-images-idx3-ubyte")); }, 2, "train-images-idx3-ubyte", "FIFO"),
        // no command
        new("unknown command", ["colourise"], null, 2, "colourise"),
    ];

    public static TheoryData<string> Names() => [.. Rows.Select(r => r.Name)];

    [Fact]
    public void TheMatrixCoversEveryCommandWithAtLeastFortyRows()
    {
        Assert.True(Rows.Length >= 40, $"{Rows.Length} rows");
        Assert.Equal(Rows.Length, Rows.Select(r => r.Name).Distinct().Count());
        foreach (var command in new[] { "train", "evaluate", "corrupt", "fractals", "augment", "import-pytorch", "bench", "demo" })
            Assert.Contains(Rows, r => r.Args[0] == command);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void BadInputExitsWithTheExpectedCodeAndMessage(string name)
    {
        var row = Rows.Single(r => r.Name == name);
        using var dir = new TempFolder();
        string d = dir.Path;
        bool needsModel = row.ModelSetup is not null || row.Args.Any(a => a.Contains("{m}", StringComparison.Ordinal)) || row.Fragments.Any(f => f.Contains("{m}", StringComparison.Ordinal));
        string m = needsModel ? fx.Folder : "";
        string Fill(string s) => s.Replace("{d}", d, StringComparison.Ordinal).Replace("{m}", m, StringComparison.Ordinal).Replace('/', Path.DirectorySeparatorChar);
        row.Setup?.Invoke(d);
        row.ModelSetup?.Invoke(d, m);
        // Options and names keep their '/' only inside paths: fill placeholders, then normalise separators of path arguments alone.
        var args = row.Args.Select(a => a.Contains('{') ? Fill(a) : a).ToArray();
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == row.Code, $"{name}: exit code {code}, expected {row.Code}. stderr: {stderr} stdout: {stdout}");
        string text = row.Code == 0 ? stdout : stderr;
        if (row.Code == 2)
        {
            var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, $"{name}: expected one error line, got: {stderr}");
            Assert.StartsWith("pixmix: ", lines[0]);
            Assert.DoesNotContain("   at ", stderr);
        }
        foreach (var fragment in row.Fragments)
        {
            string expected = fragment.Contains('{') ? Fill(fragment) : fragment;
            Assert.True(text.Contains(expected, StringComparison.Ordinal), $"{name}: the message lacks '{expected}': {text}");
        }
    }
}
