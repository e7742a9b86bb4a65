using PixMix.MLNet.Persistence;

namespace PixMix.MLNet.Scoring;

/// <summary>
/// A fitted image classifier: appends <c>Score</c> (class probabilities, one slot per class named by the label's key
/// values) and <c>PredictedLabel</c> (the label's key type, with its KeyValues) to data with the feature column, so
/// <c>mlContext.MulticlassClassification.Evaluate</c>, <c>PredictionEngine</c> and <c>MapKeyToValue</c> work as with
/// ML.NET's own trainers. The network runs in evaluation mode without gradients; sequential cursors score in batches.
/// The scores come from its TorchSharp network, or from another engine given with <see cref="WithEngine"/>.
/// Saves into a PixMix model file (<see cref="IPixMixModelPart"/>) or on its own (<see cref="Save(string)"/>).
/// </summary>
public sealed class ImageClassificationTransformer : IPixMixModelPart, IDisposable
{
    /// <summary>The part kind written into PixMix model files.</summary>
    public const string Kind = "PixMix.ImageClassifier";
    /// <summary>The format version this library writes and reads.</summary>
    public const int FormatVersion = 1;

    private const string InfoEntry = "classifier.json";
    private const string WeightsEntry = "weights.bin";

    private readonly NetworkRunner _runner;
    private readonly IImageClassifierEngine _engine;
    private readonly ClassLabels _classes;
    private readonly int _evaluationBatchSize;

    internal ImageClassificationTransformer(NetworkRunner runner, string featureColumnName, ClassLabels classes,
        int evaluationBatchSize, TrainingSummary? summary)
        : this(runner, runner, classes, evaluationBatchSize, featureColumnName, summary)
    {
        if (classes.Count != runner.Spec.Classes)
            throw new InvalidDataException($"The network has {runner.Spec.Classes} outputs but the label has {classes.Count} classes.");
    }

    // The engine is the network's runner, or another engine sharing the network (kept for saving and gradient-based
    // evaluations; see WithEngine).
    private ImageClassificationTransformer(NetworkRunner runner, IImageClassifierEngine engine, ClassLabels classes,
        int evaluationBatchSize, string featureColumnName, TrainingSummary? summary)
    {
        _runner = runner; _engine = engine; _classes = classes; _evaluationBatchSize = evaluationBatchSize;
        FeatureColumnName = featureColumnName; TrainingSummary = summary;
    }

    /// <summary>
    /// The same classifier (network, feature column, classes, evaluation batch size) with its scores computed by
    /// <paramref name="engine"/>: <c>Transform</c> and <c>PredictionEngine</c> score through the engine, while
    /// <see cref="Network"/> (the PGD attack), <see cref="PredictLogits"/> and saving keep the TorchSharp network. The
    /// result owns the engine: disposing it disposes the engine, not the network.
    /// </summary>
    public ImageClassificationTransformer WithEngine(IImageClassifierEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return new ImageClassificationTransformer(_runner, engine, _classes, _evaluationBatchSize, FeatureColumnName, TrainingSummary);
    }

    /// <summary>The engine that computes the scores ("torchsharp" unless <see cref="WithEngine"/> gave another).</summary>
    public IImageClassifierEngine Engine => _engine;

    /// <summary>The network's description (architecture, class count, input shape).</summary>
    public ImageModelSpec ModelSpec => _runner.Spec;

    /// <summary>The feature column read (a vector of C x H x W floats).</summary>
    public string FeatureColumnName { get; }

    /// <summary>Class names (the label's key values as text, or "0", "1", ... without them), in slot order.</summary>
    public IReadOnlyList<string> ClassNames => _classes.SlotNames;

    /// <summary>The record of the training run that produced this model, or null (imported models).</summary>
    public TrainingSummary? TrainingSummary { get; }

    /// <summary>The TorchSharp network (in evaluation mode), for example for gradient-based evaluations.</summary>
    public nn.Module<Tensor, Tensor> Network => _runner.Network;

    /// <summary>The device the network lives on.</summary>
    public Device Device => _runner.Device;

    /// <inheritdoc />
    public string PartKind => Kind;
    /// <inheritdoc />
    public int PartVersion => FormatVersion;
    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return NewSchema(inputSchema).Output;
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ScoredDataView(input, NewSchema(input.Schema), _runner.Spec, _engine, _evaluationBatchSize);
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new ImageClassifierRowMapper(NewSchema(inputSchema), _runner.Spec, _engine);
    }

    private ScoringSchema NewSchema(DataViewSchema input) => new(input, FeatureColumnName, _runner.Spec.ImageSize, _classes);

    /// <summary>
    /// The logits (pre-softmax outputs) of <paramref name="count"/> images given as consecutive C x H x W float blocks;
    /// returns count x classes values.
    /// </summary>
    public float[] PredictLogits(ReadOnlySpan<float> images, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (images.Length != count * _runner.Spec.ImageSize)
            throw new ArgumentException($"Expected {count} images of {_runner.Spec.ImageSize} floats ({_runner.Spec.Channels}x{_runner.Spec.Height}x{_runner.Spec.Width}), got {images.Length} floats.", nameof(images));
        var logits = new float[count * _runner.Spec.Classes];
        for (int start = 0; start < count; start += _evaluationBatchSize)
        {
            int n = Math.Min(_evaluationBatchSize, count - start);
            _runner.Logits(images.Slice(start * _runner.Spec.ImageSize, n * _runner.Spec.ImageSize), n,
                logits.AsSpan(start * _runner.Spec.Classes, n * _runner.Spec.Classes));
        }
        return logits;
    }

    /// <summary>ML.NET's own persistence is closed to other assemblies: save with <see cref="Save(string)"/> or a PixMix model file.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("ML.NET's Model.Save cannot store third-party transformers; save with ImageClassificationTransformer.Save(path) or the PixMix model file (mlContext.Model extensions).");

    /// <inheritdoc />
    public void SavePart(IModelPartWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var info = new ImageClassifierModelInfo
        {
            FormatVersion = FormatVersion,
            Spec = _runner.Spec,
            FeatureColumnName = FeatureColumnName,
            ClassValueType = _classes.ValueType,
            ClassValues = _classes.Values,
            EvaluationBatchSize = _evaluationBatchSize,
            Summary = TrainingSummary,
        };
        using (var stream = writer.Create(InfoEntry))
            JsonSerializer.Serialize(stream, info, ImageClassifierModelInfo.Json);
        using (var stream = writer.Create(WeightsEntry))
            WriteWeights(_runner.Network, stream);
    }

    /// <summary>
    /// Saves this classifier alone as a PixMix model file of one part, atomically: its input schema is the feature column
    /// (C x H x W floats), and <c>mlContext.Model.LoadPixMixModel</c> loads it too.
    /// </summary>
    /// <remarks>The file records the size and SHA-256 of its entries; <see cref="Load(MLContext, string)"/> verifies them.</remarks>
    public void Save(string path)
    {
        var input = new DataViewSchema.Builder();
        input.AddColumn(FeatureColumnName, new VectorDataViewType(NumberDataViewType.Single, _runner.Spec.Channels, _runner.Spec.Height, _runner.Spec.Width));
        PixMixModelFile.SavePart(this, input.ToSchema(), path);
    }

    /// <summary>Loads the classifier of a model file that holds only a classifier (<see cref="Save(string)"/>) onto the CPU.</summary>
    public static ImageClassificationTransformer Load(MLContext context, string path) => Load(context, path, TrainingDevice.Cpu);

    /// <summary>
    /// Loads the classifier of a model file that holds only a classifier (<see cref="Save(string)"/>) onto
    /// <paramref name="device"/>. A model file of a longer pipeline is refused: load it with <c>mlContext.Model.LoadPixMixModel</c>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a model file, is damaged, or holds more than a classifier; the message names the file.</exception>
    public static ImageClassificationTransformer Load(MLContext context, string path, TrainingDevice device)
    {
        ArgumentNullException.ThrowIfNull(context);
        return PixMixModelFile.LoadPart(context.Model, path, Kind, "an image classifier", (reader, version) => LoadPart(reader, version, device));
    }

    /// <summary>The loader registered with <see cref="ModelPartRegistry"/>.</summary>
    internal static ITransformer LoadPart(MLContext context, IModelPartReader reader, int version) => LoadPart(reader, version, TrainingDevice.Cpu);

    private static ImageClassificationTransformer LoadPart(IModelPartReader reader, int version, TrainingDevice device)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ImageClassifierModelInfo info;
        using (var stream = reader.Open(InfoEntry))
        {
            try
            {
                info = JsonSerializer.Deserialize<ImageClassifierModelInfo>(stream, ImageClassifierModelInfo.Json)
                    ?? throw new InvalidDataException("empty description");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"Model file '{reader.ModelPath}': the image classifier description '{InfoEntry}' is not valid: {e.Message}", e);
            }
        }
        string described = $"Model file '{reader.ModelPath}', entry '{InfoEntry}'";
        if (info.Spec is null) throw new InvalidDataException($"{described}: the network description 'Spec' is missing.");
        if (string.IsNullOrEmpty(info.FeatureColumnName)) throw new InvalidDataException($"{described}: 'FeatureColumnName' is missing.");
        if (string.IsNullOrEmpty(info.ClassValueType)) throw new InvalidDataException($"{described}: 'ClassValueType' is missing.");
        int written = Math.Max(version, info.FormatVersion);
        if (written > FormatVersion || written < 1)
            throw new InvalidDataException($"Model file '{reader.ModelPath}' holds an image classifier of format version {written}; this library reads versions 1 to {FormatVersion}. Update PixMix.MLNet.");
        // Bounded before anything is allocated: the same check as training and PyTorch import.
        info.Spec.ValidateFrom(described);
        var classes = ClassLabels.Create(info.Spec.Classes, info.ClassValueType, info.ClassValues);
        var resolvedDevice = DeviceSelection.Resolve(device);
        var network = info.Spec.CreateModule();
        using (var stream = reader.Open(WeightsEntry))
            ReadWeights(network, stream, reader.ModelPath);
        PyTorchImport.CheckFinite(network, $"Model file '{reader.ModelPath}'");
        network.to(resolvedDevice);
        var runner = new NetworkRunner(network, info.Spec, resolvedDevice);
        return new ImageClassificationTransformer(runner, info.FeatureColumnName, classes,
            info.EvaluationBatchSize > 0 ? info.EvaluationBatchSize : 256, info.Summary);
    }

    internal static void WriteWeights(nn.Module network, Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        network.save(writer);
    }

    internal static void ReadWeights(nn.Module network, Stream stream, string source)
    {
        try
        {
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            network.load(reader, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"'{source}': the network weights do not match the saved architecture: {e.Message}", e);
        }
    }

    /// <summary>Releases the network, or the engine of a classifier made by <see cref="WithEngine"/>.</summary>
    public void Dispose() => _engine.Dispose();
}
