using System.IO.Compression;
using System.Text;
using Microsoft.ML;
using PixMix.MLNet.Training;
using PixMix.MLNet.PyTorch;
using PixMix.TestSupport;

namespace PixMix.MLNet.Tests.Training;

/// <summary>
/// Checkpoints built byte by byte: pickles that name dangerous globals, storages that declare far more than they hold
/// or deflate a thousandfold, unknown storage types and legacy files. Each is refused naming the cause, before the
/// unpickler allocates or constructs anything.
/// </summary>
public class PyTorchHostileCheckpointTests
{
    private readonly MLContext _context = new(seed: 1);

    public PyTorchHostileCheckpointTests() => TorchTestSettings.UseOneThread();

    /// <summary>Writes pickle opcodes (protocol 2, as torch.save does).</summary>
    private sealed class Pickle
    {
        private readonly MemoryStream _bytes = new();
        public Pickle() => Op(0x80, 2);
        public Pickle Op(params byte[] bytes) { _bytes.Write(bytes); return this; }
        public Pickle Str(string text)
        {
            var utf8 = Encoding.UTF8.GetBytes(text);
            Op((byte)'X').Op(BitConverter.GetBytes(utf8.Length)).Op(utf8);
            return this;
        }
        public Pickle Int(int value) => Op((byte)'J').Op(BitConverter.GetBytes(value));
        public Pickle Long(long value) => Op(0x8a, 8).Op(BitConverter.GetBytes(value));
        public Pickle Global(string module, string name) => Op((byte)'c').Op(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));
        public Pickle Mark() => Op((byte)'(');
        public Pickle Tuple() => Op((byte)'t');
        public Pickle Reduce() => Op((byte)'R');

        /// <summary>A tensor of <paramref name="shape"/> over storage <paramref name="key"/> of <paramref name="elements"/> elements.</summary>
        public Pickle Tensor(string key, long elements, long[] shape, string storage = "FloatStorage")
        {
            Global("torch._utils", "_rebuild_tensor_v2").Mark();
            Mark().Str("storage").Global("torch", storage).Str(key).Str("cpu").Long(elements).Tuple().Op((byte)'Q');
            Int(0).Mark();
            foreach (var d in shape) Long(d);
            Tuple().Mark();
            long stride = 1;
            var strides = new long[shape.Length];
            for (int i = shape.Length - 1; i >= 0; i--) { strides[i] = stride; stride *= shape[i]; }
            foreach (var s in strides) Long(s);
            Tuple().Op(0x89).Global("collections", "OrderedDict").Op((byte)')').Reduce().Tuple().Reduce();
            return this;
        }

        public byte[] Stop() { Op((byte)'.'); return _bytes.ToArray(); }
    }

    private static string Checkpoint(TempFolder scratch, byte[] pickle, params (string Key, byte[] Data, bool Deflate)[] storages)
    {
        string path = scratch.File("model.pth");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Add(string name, byte[] data, CompressionLevel level)
        {
            using var s = zip.CreateEntry(name, level).Open();
            s.Write(data);
        }
        Add("archive/data.pkl", pickle, CompressionLevel.NoCompression);
        foreach (var (key, data, deflate) in storages) Add("archive/data/" + key, data, deflate ? CompressionLevel.SmallestSize : CompressionLevel.NoCompression);
        Add("archive/version", Encoding.ASCII.GetBytes("3\n"), CompressionLevel.NoCompression);
        return path;
    }

    private static byte[] StateDict(params (string Name, string Key, long Elements, long[] Shape)[] tensors)
    {
        var p = new Pickle().Op((byte)'}').Mark();
        foreach (var (name, key, elements, shape) in tensors) p.Str(name).Tensor(key, elements, shape);
        return p.Op((byte)'u').Stop();
    }

    private InvalidDataException Refused(string path)
    {
        var read = Assert.Throws<InvalidDataException>(() => PyTorchImport.ReadCheckpoint(path));
        Assert.Contains(path, read.Message);
        var import = Assert.Throws<InvalidDataException>(() => PyTorchImport.LoadImageClassifier(_context, path, new PyTorchImportOptions { Depth = 10, Widen = 1 }));
        Assert.Contains(path, import.Message);
        return read;
    }

    public static TheoryData<string, string, bool> Payloads => new()
    {
        { "os", "system", false },
        { "posix", "system", true },
        { "builtins", "eval", false },
        { "subprocess", "Popen", false },
        { "mymodule", "Anything", true },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void PicklesNamingOtherGlobalsAreRefusedByNameAndNothingRuns(string module, string name, bool stackGlobal)
    {
        using var scratch = new TempFolder();
        string marker = scratch.File("ran");
        var p = new Pickle();
        if (stackGlobal) p.Str(module).Str(name).Op(0x93);
        else p.Global(module, name);
        p.Mark().Str($"touch {marker}").Tuple().Reduce();
        string path = Checkpoint(scratch, p.Stop());
        var error = Refused(path);
        Assert.Contains($"'{module}.{name}'", error.Message);
        Assert.Contains("refused", error.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void AGlobalHiddenInsideAStateDictIsRefusedToo()
    {
        using var scratch = new TempFolder();
        string marker = scratch.File("ran");
        var p = new Pickle().Op((byte)'}').Mark().Str("fc.bias").Tensor("0", 2, [2]);
        p.Str("evil").Global("os", "system").Mark().Str($"touch {marker}").Tuple().Reduce().Op((byte)'u');
        string path = Checkpoint(scratch, p.Stop(), ("0", new byte[8], false));
        Assert.Contains("'os.system'", Refused(path).Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void ADeflatedStorageBombIsRefusedWithoutAllocatingIt()
    {
        using var scratch = new TempFolder();
        const int elements = 64 << 20; // 256 MiB of zeros, deflated to about 256 KiB
        string path = Checkpoint(scratch, StateDict(("fc.weight", "0", elements, [elements / 64, 64])), ("0", new byte[elements * 4L], true));
        Assert.True(new FileInfo(path).Length < 4 << 20);
        GC.Collect();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var error = Refused(path);
        Assert.Contains("archive/data/0", error.Message);
        Assert.Contains("at most 100x", error.Message);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 32L << 20, "the refusal allocated the storage");
    }

    [Fact]
    public void AStorageDeclaringMoreThanItsEntryHoldsIsRefused()
    {
        using var scratch = new TempFolder();
        string path = Checkpoint(scratch, StateDict(("fc.weight", "0", 500_000_000, [50_000_000, 10])), ("0", new byte[64], false));
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var error = Refused(path);
        Assert.Contains("500,000,000 elements", error.Message);
        Assert.Contains("holds 64 bytes", error.Message);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 32L << 20);
    }

    [Fact]
    public void StoragesBeyondWhatTheNetworkNeedsAreRefusedBeforeReading()
    {
        using var scratch = new TempFolder();
        // 2 classes for WRN-10-1 need about 80 thousand values; this one declares 4 million in fc.weight alone.
        string path = Checkpoint(scratch, StateDict(("fc.weight", "0", 4_000_000, [2, 2_000_000])), ("0", new byte[16_000_000], false));
        var error = Assert.Throws<InvalidDataException>(() => PyTorchImport.LoadImageClassifier(_context, path, new PyTorchImportOptions { Depth = 10, Widen = 1 }));
        Assert.Contains("WideResNet-10-1", error.Message);
        Assert.Contains("4,000,000 values", error.Message);
    }

    [Fact]
    public void TheRealCauseIsNamed()
    {
        using var scratch = new TempFolder();
        // No fc.weight: not "needs at least 2 classes".
        string noFc = Checkpoint(scratch, StateDict(("conv1.weight", "0", 4, [4])), ("0", new byte[16], false));
        var missing = Assert.Throws<InvalidDataException>(() => PyTorchImport.LoadImageClassifier(_context, noFc, new PyTorchImportOptions { Depth = 10, Widen = 1 }));
        Assert.Contains("no 'fc.weight' tensor", missing.Message);
        Assert.DoesNotContain("at least 2 classes", missing.Message);
        File.Delete(noFc);

        // An unknown storage type: not "legacy format".
        var p = new Pickle().Op((byte)'}').Str("fc.weight").Tensor("0", 4, [2, 2], storage: "QInt8Storage").Op((byte)'s');
        string unknown = Checkpoint(scratch, p.Stop(), ("0", new byte[4], false));
        var type = Refused(unknown);
        Assert.Contains("torch.QInt8Storage", type.Message);
        Assert.DoesNotContain("legacy", type.Message);
        File.Delete(unknown);

        // A bare pickle is the legacy format, and says so.
        string legacy = scratch.Write("legacy.pth", new Pickle().Op((byte)'}').Stop());
        Assert.Contains("legacy format", Assert.Throws<InvalidDataException>(() => PyTorchImport.ReadCheckpoint(legacy)).Message);
    }

    [Fact]
    public void NaNWeightsAreRefusedNamingTheTensor()
    {
        using var scratch = new TempFolder();
        string path = scratch.File("nan.pth");
        File.Copy(TrainingTestData.FixturePath("wrn10_1_state_dict.pth"), path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var largest = zip.Entries.Where(e => e.FullName.Contains("/data/")).MaxBy(e => e.Length)!;
            var bytes = new byte[largest.Length];
            using (var s = largest.Open()) s.ReadExactly(bytes);
            BitConverter.GetBytes(float.NaN).CopyTo(bytes, 0);
            string name = largest.FullName;
            largest.Delete();
            using var w = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            w.Write(bytes);
        }
        var error = Assert.Throws<InvalidDataException>(() => PyTorchImport.LoadImageClassifier(_context, path, new PyTorchImportOptions { Depth = 10, Widen = 1 }));
        Assert.Contains("NaN or infinite", error.Message);
        Assert.Matches("tensor '[a-z0-9_.]+weight'", error.Message);
    }

    [Fact]
    public async Task AFifoNamedLikeACheckpointIsRefusedWithoutBlocking()
    {
        if (OperatingSystem.IsWindows()) return;
        using var scratch = new TempFolder();
        string fifo = scratch.File("model.pth");
        using (var p = System.Diagnostics.Process.Start("mkfifo", fifo)!) p.WaitForExit();
        // WaitAsync throws (failing the test) when the read blocks.
        var error = await Task.Run(() => Record.Exception(() => PyTorchImport.ReadCheckpoint(fifo))).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("FIFO", Assert.IsType<PixMix.Imaging.Core.InvalidInputDataException>(error).Message);
    }
}
