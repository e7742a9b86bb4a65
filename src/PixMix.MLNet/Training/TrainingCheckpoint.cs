using PixMix.MLNet.Persistence;

namespace PixMix.MLNet.Training;

/// <summary>
/// The state of a training run after an epoch, written atomically to one file (a zip): the network's weights and
/// BatchNorm statistics, the optimiser's state (momentum buffers), the schedule's step, the epoch, the options and the
/// random state. Every random stream of a run (shuffles, augmentation, dropout) is derived from (seed, epoch), so the
/// random state is the seed and the next epoch; resuming from it continues bit-identically on the CPU.
/// </summary>
/// <remarks>
/// The optimiser's momentum is one flat tensor, parameter after parameter in their logical layout
/// (<see cref="FlatSgd.SaveState"/>), independent of the memory format trained in. Format 3 records the size and SHA-256
/// of the weights and optimiser entries in <c>checkpoint.json</c> (written last); reading verifies every entry
/// (<see cref="VerifiedZipReader"/>: size caps, CRC-32, SHA-256) before TorchSharp sees it. Formats 1 and 2 recorded no
/// hashes and are refused.
/// </remarks>
internal sealed class TrainingCheckpoint
{
    internal const int FormatVersion = 3;
    internal const string FileExtension = ".ckpt";
    private const string StateEntry = "checkpoint.json";
    private const string WeightsEntry = "weights.bin";
    private const string OptimizerEntry = "optimizer.bin";
    private const string Kind = "Training checkpoint";
    private const long MaxStateSize = 16L << 20;

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
        /// <summary>The size and SHA-256 of the weights and optimiser entries (absent before format 3).</summary>
        public Dictionary<string, ZipEntryDigest>? Entries { get; init; }
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
            ZipSeal.Write(path, archive =>
            {
                var zip = new DigestingZipWriter(archive);
                using (var stream = zip.Create(WeightsEntry))
                    ImageClassificationTransformer.WriteWeights(network, stream);
                using (var stream = zip.Create(OptimizerEntry))
                using (var writer = new BinaryWriter(stream))
                    optimizer.SaveState(writer);
                using (var stream = zip.CreateIndex(StateEntry))
                    JsonSerializer.Serialize(stream, state with { FormatVersion = FormatVersion, Entries = zip.Digests }, ImageClassifierModelInfo.Json);
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

    /// <summary>
    /// Reads the state of checkpoint <paramref name="path"/> after verifying the whole checkpoint (every entry's size,
    /// CRC-32 and SHA-256), so a damaged checkpoint is refused before a run resumes from any part of it.
    /// </summary>
    internal static State ReadState(string path)
    {
        using var archive = Open(path, out var state);
        foreach (var name in state.Entries!.Keys) archive.Read(name).Dispose();
        archive.CheckAllRead();
        return state;
    }

    internal static void ReadWeights(string path, nn.Module network)
    {
        using var archive = Open(path, out _);
        using var stream = archive.Read(WeightsEntry);
        ImageClassificationTransformer.ReadWeights(network, stream, path);
    }

    /// <summary>Restores the optimiser's momentum from checkpoint <paramref name="path"/>.</summary>
    internal static void ReadOptimizer(string path, FlatSgd optimizer)
    {
        using var archive = Open(path, out _);
        using var stream = archive.Read(OptimizerEntry);
        using var reader = new BinaryReader(stream);
        try
        {
            optimizer.LoadState(reader, path);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"Training checkpoint '{path}' has a truncated '{OptimizerEntry}'.", e);
        }
    }

    /// <summary>Opens checkpoint <paramref name="path"/>, reads its state and hands the state's entry digests to the reader.</summary>
    private static VerifiedZipReader Open(string path, out State state)
    {
        var archive = VerifiedZipReader.Open(Path.GetFullPath(path), Kind);
        try
        {
            state = ReadState(archive, path);
            archive.UseDigests(state.Entries!, StateEntry);
            foreach (var name in new[] { WeightsEntry, OptimizerEntry })
                if (!state.Entries!.ContainsKey(name)) throw archive.Damaged($"'{StateEntry}' records no hash of '{name}'");
            return archive;
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    private static State ReadState(VerifiedZipReader archive, string path)
    {
        State state;
        try
        {
            using var stream = archive.ReadIndex(StateEntry, MaxStateSize)
                ?? throw new InvalidDataException($"'{path}' is not a training checkpoint: it has no '{StateEntry}'.");
            state = JsonSerializer.Deserialize<State>(stream, ImageClassifierModelInfo.Json) ?? throw archive.Damaged($"'{StateEntry}' is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Training checkpoint '{path}' has an invalid '{StateEntry}': {e.Message}", e);
        }
        if (state.FormatVersion < 1 || state.FormatVersion > 1000)
            throw archive.Damaged($"the format version is {state.FormatVersion}, which no checkpoint has");
        if (state.FormatVersion > FormatVersion)
            throw new InvalidDataException($"Training checkpoint '{path}' has format version {state.FormatVersion}; this library reads version {FormatVersion}. Update PixMix.MLNet to resume from it.");
        if (state.FormatVersion < FormatVersion)
            throw new InvalidDataException(
                $"Training checkpoint '{path}' has format version {state.FormatVersion}, which records no hashes of its entries, so its integrity cannot be checked; " +
                $"this library resumes from version {FormatVersion} only. Start the run again (or finish it with the version that wrote the checkpoint).");
        if (state.Entries is null) throw archive.Damaged($"'{StateEntry}' records no entry hashes");
        return state;
    }
}
