using System.IO.Compression;
using System.Text.Json.Nodes;
using PixMix.MLNet.Models;
using PixMix.MLNet.Training;
using PixMix.MLNet.TorchSupport;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PixMix.MLNet.Tests.Training;

/// <summary>The flat-buffer SGD of the trainer against TorchSharp's SGD, and its buffers, state and checkpoints.</summary>
public class FlatSgdTests
{
    public FlatSgdTests() => TorchTestSettings.UseOneThread();

    private static readonly ImageModelSpec Spec = new(ModelArchitecture.WideResNet, 10, 1, 0, 4, 3, 16, 16);

    private static nn.Module<Tensor, Tensor> Network(bool channelsLast)
    {
        using var generator = new Generator(5, CPU);
        var network = Spec.CreateModule(generator);
        network.train();
        if (channelsLast) MemoryFormat.Convert(network, channelsLast: true);
        return network;
    }

    private static Tensor Input(int seed, bool channelsLast)
    {
        using var generator = new Generator((ulong)seed, CPU);
        var x = randn([4, 3, 16, 16], generator: generator);
        return channelsLast ? MemoryFormat.ToChannelsLast(x) : x;
    }

    private static void Backward(nn.Module<Tensor, Tensor> network, int seed, bool channelsLast)
    {
        using var scope = NewDisposeScope();
        network.forward(Input(seed, channelsLast)).square().mean().backward();
    }

    private static float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();

    [Theory]
    [InlineData(0.9, 5e-4, true, false)]   // the paper's recipe
    [InlineData(0.9, 5e-4, true, true)]    // the same, channels-last
    [InlineData(0.9, 0.0, false, false)]   // plain momentum
    [InlineData(0.0, 5e-4, false, false)]  // no momentum
    public void StepsEqualTorchSharpsSgd(double momentum, double weightDecay, bool nesterov, bool channelsLast)
    {
        using var reference = Network(channelsLast);
        using var flat = Network(channelsLast);
        using var sgd = optim.SGD(reference.parameters(), 0.1, momentum, 0, weightDecay, nesterov);
        using var optimizer = new FlatSgd(flat.parameters(), momentum, weightDecay, nesterov);
        for (int step = 0; step < 4; step++)
        {
            double lr = 0.1 / (step + 1);
            sgd.zero_grad(); optimizer.ZeroGrad();
            Backward(reference, step, channelsLast); Backward(flat, step, channelsLast);
            foreach (var group in sgd.ParamGroups) group.LearningRate = lr;
            sgd.step(); optimizer.Step(lr);
        }
        var expected = reference.parameters().ToArray();
        var actual = flat.parameters().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        double largest = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            var e = Values(expected[i]); var a = Values(actual[i]);
            for (int j = 0; j < e.Length; j++) largest = Math.Max(largest, Math.Abs(e[j] - a[j]) / (1 + Math.Abs(e[j])));
            if (channelsLast && actual[i].dim() == 4) Assert.True(MemoryFormat.IsChannelsLast(actual[i]), $"parameter {i} lost its channels-last layout");
        }
        // The same operations per element; only the vector/scalar split of LibTorch's kernels may differ.
        Assert.True(largest <= 1e-6, $"largest relative difference {largest:G3}");
        Assert.Equal(momentum != 0, optimizer.HasMomentum);
        // And the parameters moved: a step that did nothing would pass the comparison with a reference that did nothing.
        using var initial = Network(channelsLast);
        Assert.NotEqual(Values(initial.parameters().First()), Values(actual[0]));
    }

    [Fact]
    public void GradientsAccumulateInTheFlatBufferAndZeroGradClearsIt()
    {
        using var network = Network(channelsLast: true);
        using var optimizer = new FlatSgd(network.parameters(), 0.9, 5e-4, true);
        Backward(network, 1, channelsLast: true);
        double perParameter = network.parameters().Sum(p => p.grad!.abs().sum().item<float>());
        double flat = optimizer.Gradients.abs().sum().item<float>();
        Assert.True(flat > 0, "no gradient reached the buffer");
        Assert.Equal(perParameter, flat, 3);

        Backward(network, 1, channelsLast: true); // accumulates in place: twice the same gradients
        Assert.Equal(2 * flat, optimizer.Gradients.abs().sum().item<float>(), 2);

        optimizer.ZeroGrad();
        Assert.Equal(0f, optimizer.Gradients.abs().sum().item<float>());
        Assert.All(network.parameters(), p => Assert.Equal(0f, p.grad!.abs().sum().item<float>()));
    }

    /// <summary>The float16 path as the trainer runs it: scaled backward into the flat buffer, then unscale and check it.</summary>
    [Fact]
    public void TheLossScalerUnscalesAndChecksTheFlatGradients()
    {
        using var reference = Network(channelsLast: false);
        Backward(reference, 6, channelsLast: false);
        var expected = reference.parameters().Select(p => Values(p.grad!)).ToArray();

        using var network = Network(channelsLast: false);
        using var optimizer = new FlatSgd(network.parameters(), 0.9, 5e-4, true);
        var scaler = new GradientScaler(initialScale: 1024);
        using (var scope = NewDisposeScope())
            scaler.ScaleLoss(network.forward(Input(6, channelsLast: false)).square().mean()).backward();
        using (var finite = scaler.UnscaleAndCheck([optimizer.Gradients], CPU)) Assert.True(finite.item<bool>());
        var actual = network.parameters().ToArray();
        for (int i = 0; i < actual.Length; i++)
        {
            var e = expected[i]; var a = Values(actual[i].grad!);
            for (int j = 0; j < e.Length; j++) Assert.True(Math.Abs(e[j] - a[j]) <= 1e-5 * (1 + Math.Abs(e[j])), $"parameter {i}, element {j}: {a[j]} vs {e[j]} unscaled");
        }

        using (no_grad()) actual[^1].grad!.fill_(float.NaN); // one gradient's NaN is seen through the buffer
        using (var finite = scaler.UnscaleAndCheck([optimizer.Gradients], CPU)) Assert.False(finite.item<bool>());
    }

    [Fact]
    public void RebindMakesReplacedParametersViewsOfTheBufferAgain()
    {
        using var network = Network(channelsLast: true);
        using var optimizer = new FlatSgd(network.parameters(), 0.9, 0, false);
        Backward(network, 2, channelsLast: true);
        optimizer.Step(0.1);
        var before = network.parameters().Select(Values).ToArray();
        // A 3x3 convolution's weight: channels-last and not contiguous, so converting it replaces its storage.
        int k = Array.FindIndex(network.parameters().ToArray(), p => p.dim() == 4 && p.shape[2] > 1);
        Assert.True(k >= 0);

        // A checkpoint makes the weights contiguous (new storage): a step would not reach them any more.
        MemoryFormat.Convert(network, channelsLast: false);
        optimizer.Step(0.1);
        Assert.Equal(before[k], Values(network.parameters().ElementAt(k)));

        optimizer.Rebind();
        var rebound = network.parameters().ToArray();
        Assert.All(rebound.Where(p => p.dim() == 4), p => Assert.True(MemoryFormat.IsChannelsLast(p)));
        // The values the replaced weights had (the step above changed only the buffer, which Rebind overwrote).
        Assert.Equal(before[k], Values(rebound[k]));
        optimizer.Step(0.1);
        Assert.NotEqual(before[k], Values(network.parameters().ElementAt(k)));
    }

    [Fact]
    public void DisposeLeavesTheParametersTheirValuesAndNoGradients()
    {
        using var network = Network(channelsLast: false);
        var optimizer = new FlatSgd(network.parameters(), 0.9, 0, false);
        Backward(network, 3, channelsLast: false);
        optimizer.Step(0.1);
        var values = network.parameters().Select(Values).ToArray();
        optimizer.Dispose();
        var parameters = network.parameters().ToArray();
        for (int i = 0; i < parameters.Length; i++)
        {
            Assert.Equal(values[i], Values(parameters[i]));
            Assert.Null(parameters[i].grad);
        }
        Backward(network, 3, channelsLast: false); // autograd works on the released parameters
        Assert.NotNull(parameters[0].grad);
    }

    [Fact]
    public void StateRoundTripsAndAForeignStateIsRefused()
    {
        using var network = Network(channelsLast: false);
        using var optimizer = new FlatSgd(network.parameters(), 0.9, 5e-4, true);
        Backward(network, 4, channelsLast: false);
        optimizer.Step(0.1);
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.SaveState(writer);

        // Restored in the same layout and in channels-last: the same momentum, element by element.
        foreach (bool channelsLast in new[] { false, true })
        {
            using var copy = Network(channelsLast);
            using var restored = new FlatSgd(copy.parameters(), 0.9, 5e-4, true);
            Assert.False(restored.HasMomentum);
            stream.Position = 0;
            using (var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true)) restored.LoadState(reader, "state.bin");
            Assert.True(restored.HasMomentum);
            for (int i = 0; i < optimizer.Parameters.Count; i++)
                Assert.Equal(Values(optimizer.MomentumOf(i)!), Values(restored.MomentumOf(i)!));
        }

        using var other = new ImageModelSpec(ModelArchitecture.WideResNet, 10, 2, 0, 4, 3, 16, 16).CreateModule(new Generator(1, CPU));
        using var wrong = new FlatSgd(other.parameters(), 0.9, 5e-4, true);
        stream.Position = 0;
        using var wrongReader = new BinaryReader(stream);
        var error = Assert.Throws<InvalidDataException>(() => wrong.LoadState(wrongReader, "state.bin"));
        Assert.Contains("state.bin", error.Message);
    }

    /// <summary>Checkpoints of formats 1 and 2 record no hashes of their entries: they are refused, saying why and what to do.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void CheckpointsWithoutHashesAreRefused(int version)
    {
        var directory = Directory.CreateTempSubdirectory("pixmix-flat-sgd-");
        try
        {
            using var network = Network(channelsLast: false);
            using var optimizer = new FlatSgd(network.parameters(), 0.9, 5e-4, true);
            var path = WriteSmallCheckpoint(directory.FullName, network, optimizer);
            Assert.Equal(TrainingCheckpoint.FormatVersion, TrainingCheckpoint.ReadState(path).FormatVersion);

            // Rewrite checkpoint.json as an earlier version wrote it: its version, no entry hashes.
            var json = JsonNode.Parse(ReadEntry(path, "checkpoint.json"))!.AsObject();
            json.Remove(json.Single(p => p.Key.Equals("Entries", StringComparison.OrdinalIgnoreCase)).Key);
            json[json.Single(p => p.Key.Equals("FormatVersion", StringComparison.OrdinalIgnoreCase)).Key] = version;
            using (var archive = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                archive.GetEntry("checkpoint.json")!.Delete();
                using var writer = new StreamWriter(archive.CreateEntry("checkpoint.json").Open());
                writer.Write(json.ToJsonString());
            }
            PixMix.MLNet.Tests.Persistence.ZipLayout.Reseal(path);

            using var copy = Network(channelsLast: false);
            using var restored = new FlatSgd(copy.parameters(), 0.9, 5e-4, true);
            foreach (var read in new Action[] { () => TrainingCheckpoint.ReadState(path), () => TrainingCheckpoint.ReadOptimizer(path, restored), () => TrainingCheckpoint.ReadWeights(path, copy) })
            {
                var e = Assert.Throws<InvalidDataException>(read);
                Assert.Contains(path, e.Message);
                Assert.Contains($"format version {version}, which records no hashes", e.Message);
                Assert.Contains("Start the run again", e.Message);
            }
            Assert.False(restored.HasMomentum);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string WriteSmallCheckpoint(string folder, TorchSharp.torch.nn.Module network, FlatSgd optimizer)
        => TrainingCheckpoint.Write(folder, new TrainingCheckpoint.State
        {
            NextEpoch = 1, Step = 1, TotalSteps = 2, Rows = 4, Seed = 1, Spec = Spec,
            ClassValueType = "UInt32", Options = new ImageClassifierOptions(), History = [],
        }, network, optimizer);

    /// <summary>A byte flipped in any entry of a checkpoint is refused naming the checkpoint and the entry; the intact one reads back.</summary>
    [Fact]
    public void ADamagedCheckpointIsRefusedNamingTheFileAndEntry()
    {
        var directory = Directory.CreateTempSubdirectory("pixmix-flat-sgd-");
        try
        {
            using var network = Network(channelsLast: false);
            using var optimizer = new FlatSgd(network.parameters(), 0.9, 5e-4, true);
            var path = WriteSmallCheckpoint(directory.FullName, network, optimizer);
            var original = File.ReadAllBytes(path);
            using (var copy = Network(channelsLast: false))
            {
                TrainingCheckpoint.ReadWeights(path, copy);
                Assert.Equal(Values(network.parameters().First()), Values(copy.parameters().First()));
            }
            var names = new List<string>();
            using (var zip = ZipFile.OpenRead(path))
                foreach (var entry in zip.Entries)
                {
                    names.Add(entry.FullName);
                    Assert.Equal(entry.Length, entry.CompressedLength);   // stored: every byte is covered by the checks
                }
            Assert.Equal(["checkpoint.json", "optimizer.bin", "weights.bin"], names.Order(StringComparer.Ordinal));
            foreach (var name in names)
            {
                var damaged = (byte[])original.Clone();
                damaged[DataOffset(damaged, name) + 5] ^= 0x20;
                File.WriteAllBytes(path, damaged);
                using var copy = Network(channelsLast: false);
                using var restored = new FlatSgd(copy.parameters(), 0.9, 5e-4, true);
                // ReadState (the first read of a resume) verifies every entry; the others verify the state and what they read.
                var reads = new List<Action> { () => TrainingCheckpoint.ReadState(path) };
                if (name != "optimizer.bin") reads.Add(() => TrainingCheckpoint.ReadWeights(path, copy));
                if (name != "weights.bin") reads.Add(() => TrainingCheckpoint.ReadOptimizer(path, restored));
                foreach (var read in reads)
                {
                    var e = Assert.Throws<InvalidDataException>(read);
                    Assert.Contains($"Training checkpoint '{path}' is damaged: entry '{name}'", e.Message);
                }
                Assert.False(restored.HasMomentum);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The offset of entry <paramref name="name"/>'s data, found by walking the local headers.</summary>
    private static int DataOffset(byte[] zip, string name)
    {
        int offset = 0;
        while (BitConverter.ToUInt32(zip, offset) == 0x04034b50)
        {
            int compressed = BitConverter.ToInt32(zip, offset + 18);
            int nameLength = BitConverter.ToUInt16(zip, offset + 26), extraLength = BitConverter.ToUInt16(zip, offset + 28);
            int data = offset + 30 + nameLength + extraLength;
            if (System.Text.Encoding.UTF8.GetString(zip, offset + 30, nameLength) == name) return data;
            offset = data + compressed;
        }
        throw new InvalidOperationException($"No entry '{name}'.");
    }

    private static string ReadEntry(string path, string name)
    {
        using var archive = ZipFile.OpenRead(path);
        using var reader = new StreamReader(archive.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
