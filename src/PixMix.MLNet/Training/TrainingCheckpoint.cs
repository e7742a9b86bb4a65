using PixMix.Imaging;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using PixMix.MLNet.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PixMix.MLNet.Training;

/// <summary>
/// The state of a training run after an epoch, written atomically to one file (a zip): the network's weights and
/// BatchNorm statistics, the optimiser's state (momentum buffers), the schedule's step, the epoch, the options and the
/// random state. Every random stream of a run (shuffles, augmentation, dropout) is derived from (seed, epoch), so the
/// random state is the seed and the next epoch; resuming from it continues bit-identically on the CPU.
/// </summary>
/// <remarks>
/// Format 2 writes the optimiser's momentum as one flat tensor, parameter after parameter in their logical layout
/// (<see cref="FlatSgd.SaveState"/>); format 1 (earlier versions) wrote TorchSharp's per-parameter SGD state, which is
/// still read. Neither depends on the memory format trained in.
/// </remarks>
internal sealed class TrainingCheckpoint
{
    internal const int FormatVersion = 2;
    internal const string FileExtension = ".ckpt";
    private const string StateEntry = "checkpoint.json";
    private const string WeightsEntry = "weights.bin";
    private const string OptimizerEntry = "optimizer.bin";

    internal sealed record State
    {
        public int FormatVersion { get; init; }
        /// <summary>The first epoch still to run.</summary>
        public int NextEpoch { get; init; }
        public long Step { get; init; }
        public long TotalSteps { get; init; }
        public long Rows { get; init; }
        public int Seed { get; init; }
        public long NextTorchSeed { get; init; }
        public required ImageModelSpec Spec { get; init; }
        public required string ClassValueType { get; init; }
        public string[]? ClassValues { get; init; }
        public required ImageClassifierOptions Options { get; init; }
        public required List<EpochSummary> History { get; init; }
        /// <summary>Fp16 only: the loss scale after the epoch (absent in checkpoints of other precisions and of older builds).</summary>
        public double? LossScale { get; init; }
        /// <summary>Fp16 only: the good steps in a row since the loss scale last changed.</summary>
        public int? LossScaleGoodSteps { get; init; }
    }

    /// <summary>The file name of the checkpoint written after epoch <paramref name="epoch"/> (0-based).</summary>
    internal static string FileName(int epoch) => $"epoch-{epoch + 1:D4}{FileExtension}";

    /// <summary>
    /// Writes the checkpoint after epoch <c>state.NextEpoch - 1</c>. TorchSharp writes only contiguous tensors, so a
    /// channels-last run's weights are made contiguous for the write, then views of the optimiser's buffers again
    /// (<see cref="FlatSgd.Rebind"/>); the momentum is written flat. Resuming converts the weights as a fresh run does.
    /// </summary>
    internal static string Write(string directory, State state, nn.Module network, FlatSgd optimizer)
    {
        var path = Path.Combine(directory, FileName(state.NextEpoch - 1));
        bool channelsLast = state.Options.ChannelsLast;
        if (channelsLast) MemoryFormat.Convert(network, channelsLast: false);
        try
        {
            AtomicFile.WriteZip(path, archive =>
            {
                using (var stream = archive.CreateEntry(StateEntry, CompressionLevel.Fastest).Open())
                    JsonSerializer.Serialize(stream, state, ImageClassifierModelInfo.Json);
                using (var stream = archive.CreateEntry(WeightsEntry, CompressionLevel.Fastest).Open())
                    ImageClassificationTransformer.WriteWeights(network, stream);
                using (var stream = archive.CreateEntry(OptimizerEntry, CompressionLevel.Fastest).Open())
                using (var writer = new BinaryWriter(stream))
                    optimizer.SaveState(writer);
            });
        }
        finally
        {
            if (channelsLast) optimizer.Rebind();
        }
        return path;
    }

    /// <summary>The checkpoint <paramref name="path"/> names, or the latest one in it when it is a folder.</summary>
    internal static string Locate(string path)
    {
        if (Directory.Exists(path))
        {
            var latest = Directory.EnumerateFiles(path, "epoch-*" + FileExtension)
                .Select(f => (File: f, Epoch: int.TryParse(Path.GetFileNameWithoutExtension(f).AsSpan("epoch-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var e) ? e : -1))
                .Where(f => f.Epoch >= 0)
                .OrderByDescending(f => f.Epoch)
                .FirstOrDefault();
            return latest.File ?? throw new FileNotFoundException($"ResumeFrom: folder '{path}' holds no checkpoint (epoch-NNNN{FileExtension}).");
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"ResumeFrom: checkpoint '{path}' not found.", path);
        return path;
    }

    internal static State ReadState(string path)
    {
        using var archive = Open(path);
        var entry = archive.GetEntry(StateEntry) ?? throw new InvalidDataException($"'{path}' is not a training checkpoint: it has no '{StateEntry}'.");
        State state;
        try
        {
            using var stream = entry.Open();
            state = JsonSerializer.Deserialize<State>(stream, ImageClassifierModelInfo.Json) ?? throw new InvalidDataException("empty state");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Training checkpoint '{path}' has an invalid '{StateEntry}': {e.Message}", e);
        }
        if (state.FormatVersion < 1 || state.FormatVersion > FormatVersion)
            throw new InvalidDataException($"Training checkpoint '{path}' has format version {state.FormatVersion}; this library reads versions 1 to {FormatVersion}.");
        return state;
    }

    internal static void ReadWeights(string path, nn.Module network)
    {
        using var archive = Open(path);
        using var stream = Copy(archive, path, WeightsEntry);
        ImageClassificationTransformer.ReadWeights(network, stream, path);
    }

    /// <summary>Restores the optimiser's momentum from checkpoint <paramref name="path"/>, whose <see cref="State.FormatVersion"/> is <paramref name="version"/> (1 or 2).</summary>
    internal static void ReadOptimizer(string path, int version, FlatSgd optimizer)
    {
        using var archive = Open(path);
        using var stream = Copy(archive, path, OptimizerEntry);
        using var reader = new BinaryReader(stream);
        try
        {
            if (version >= 2)
            {
                optimizer.LoadState(reader, path);
                return;
            }
            // Format 1: TorchSharp's SGD state, one momentum buffer per parameter, read through TorchSharp's SGD.
            using var perParameter = optim.SGD(optimizer.Parameters, 0.1, optimizer.Momentum, 0, optimizer.WeightDecay, optimizer.Nesterov);
            perParameter.load_state_dict(reader);
            optimizer.LoadPerParameterMomentum([.. perParameter.state_dict().State.Select(s => ((SGD.State)s).momentum_buffer)], path);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"Training checkpoint '{path}' has a truncated '{OptimizerEntry}'.", e);
        }
    }

    private static ZipArchive Open(string path)
    {
        try { return ZipFile.OpenRead(path); }
        catch (InvalidDataException e) { throw new InvalidDataException($"'{path}' is not a training checkpoint (not a zip archive).", e); }
    }

    private static MemoryStream Copy(ZipArchive archive, string path, string name)
    {
        var entry = archive.GetEntry(name) ?? throw new InvalidDataException($"Training checkpoint '{path}' has no '{name}'.");
        var memory = new MemoryStream();
        using (var stream = entry.Open()) stream.CopyTo(memory);
        memory.Position = 0;
        return memory;
    }
}
