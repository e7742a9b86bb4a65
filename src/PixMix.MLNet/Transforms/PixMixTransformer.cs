using PixMix.MLNet.Persistence;

namespace PixMix.MLNet.Transforms;

/// <summary>
/// The fitted PixMix transform: appends a float vector column (C x Size x Size, CHW, normalized per the recipe) computed
/// from an image column or a pixel-vector column.
/// </summary>
/// <remarks>
/// <para>
/// <b>Predictions are safe by default.</b> <see cref="Transform"/> returns a view whose cursors apply only the
/// deterministic evaluation path (the recipe's evaluation crop or resize and the normalization) unless they are created
/// inside an <see cref="AugmentationPass"/>; the same image always gives the same output. <see cref="GetRowToRowMapper"/>
/// (used by <c>PredictionEngine</c>) never augments.
/// </para>
/// <para>
/// <b>Augmentation is explicit.</b> Cursors created inside a pass, that is through <see cref="AugmentedDataView"/>
/// (<c>mlContext.Data.Augment(view, epoch)</c>, which the PixMix image trainer calls once per epoch), apply the train
/// transform and PixMix to row r with the random stream <c>PixMixRandom.For(Seed, epoch, r)</c>: every epoch differs,
/// the same seed reproduces, and the result of a row does not depend on the number of cursors or threads. The row
/// index r is derived from the row's id (<see cref="DataViewRow.GetIdGetter"/>), which for in-memory, text, binary and
/// image-source data is the row's position in the source.
/// </para>
/// <para>
/// <b>Saving.</b> ML.NET's <c>mlContext.Model.Save</c> cannot hold third-party transformers; save whole pipelines with
/// <see cref="PixMixModelOperationsExtensions.SavePixMixModel"/>. The part stores the options, the recipe, the mixing
/// set's description and the seed. The mixing set is needed only to augment: a loaded model whose mixing folder is gone
/// still transforms and predicts, and says so clearly only when an augmented pass is requested.
/// </para>
/// </remarks>
public sealed class PixMixTransformer : IPixMixModelPart
{
    /// <summary>The part kind written in model files.</summary>
    public const string Kind = "PixMix.Transformer";
    /// <summary>The version of the part format this library writes and the newest it reads.</summary>
    public const int FormatVersion = 1;
    private const string StateEntry = "pixmix.json";

    private readonly PixMixOptions _options;
    private readonly object _lock = new();
    private readonly PixMixImageProcessor?[] _evaluators = new PixMixImageProcessor?[2];
    private readonly PixMixImageProcessor?[] _augmenters = new PixMixImageProcessor?[2];
    private MixingSet? _mixingSet;

    internal PixMixTransformer(PixMixOptions options, MixingSet? mixingSet, MixingSetDescription mixingSetDescription)
    {
        _options = options.Clone();
        _options.MixingSet = null;
        _options.Validate();
        _mixingSet = mixingSet;
        MixingSetDescription = mixingSetDescription;
    }

    /// <summary>The column read.</summary>
    public string InputColumnName => _options.EffectiveInputColumnName;
    /// <summary>The column written.</summary>
    public string OutputColumnName => _options.OutputColumnName;
    /// <summary>The recipe (PixMix parameters, train transform, size, normalization).</summary>
    public PixMixRecipe Recipe => _options.Recipe;
    /// <summary>The seed of the augmentations.</summary>
    public long Seed => _options.Seed;
    /// <summary>How grey inputs are handled.</summary>
    public GreyHandling GreyHandling => _options.GreyHandling;
    /// <summary>The shape of vector inputs when given explicitly.</summary>
    public ImageShape? InputShape => _options.InputShape;
    /// <summary>The range of float-vector inputs.</summary>
    public PixelValueRange FloatRange => _options.FloatRange;
    /// <summary>What recreates the mixing set (stored in model files).</summary>
    public MixingSetDescription MixingSetDescription { get; }

    /// <inheritdoc />
    public string PartKind => Kind;
    /// <inheritdoc />
    public int PartVersion => FormatVersion;
    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the output column; throws <see cref="ArgumentOutOfRangeException"/> when the input column is missing or unsuitable.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => PixMixBinding.Create(inputSchema, _options).OutputSchema;

    /// <summary>
    /// The input with the output column appended (lazily). Its cursors evaluate deterministically, or augment when created
    /// inside an <see cref="AugmentationPass"/>; see the remarks of <see cref="PixMixTransformer"/>.
    /// </summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new PixMixDataView(this, input, PixMixBinding.Create(input.Schema, _options));
    }

    /// <summary>A mapper that appends the output column with the deterministic evaluation path only (for <c>PredictionEngine</c>).</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new PixMixRowMapper(this, PixMixBinding.Create(inputSchema, _options));

    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException("ML.NET's model format cannot hold the PixMix transformer; save the pipeline with mlContext.Model.SavePixMixModel(model, inputSchema, path) and load it with mlContext.Model.LoadPixMixModel(path, out inputSchema).");

    /// <summary>Writes the options, recipe, mixing-set description and seed as JSON.</summary>
    public void SavePart(IModelPartWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var stream = writer.Create(StateEntry);
        JsonSerializer.Serialize(stream, PixMixTransformerState.From(this), PixMixTransformerState.JsonOptions);
    }

    /// <summary>Reads a part written by <see cref="SavePart"/>.</summary>
    internal static ITransformer LoadPart(MLContext context, IModelPartReader reader, int version)
    {
        ArgumentNullException.ThrowIfNull(reader);
        PixMixTransformerState? state;
        using (var stream = reader.Open(StateEntry))
        {
            try { state = JsonSerializer.Deserialize<PixMixTransformerState>(stream, PixMixTransformerState.JsonOptions); }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"Model file '{reader.ModelPath}': the PixMix transformer's '{StateEntry}' is not valid JSON ({ex.Message}).", ex);
            }
        }
        if (state is null) throw new InvalidDataException($"Model file '{reader.ModelPath}': the PixMix transformer's '{StateEntry}' is empty.");
        try
        {
            var (options, description) = state.ToOptions();
            return new PixMixTransformer(options, mixingSet: null, description);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"Model file '{reader.ModelPath}': the PixMix transformer's options are invalid: {ex.Message}", ex);
        }
    }

    /// <summary>The processor of the deterministic path for <paramref name="channels"/> output channels (it never draws mixing pictures).</summary>
    internal PixMixImageProcessor GetEvaluator(int channels)
    {
        int slot = channels == 1 ? 0 : 1;
        var processor = Volatile.Read(ref _evaluators[slot]);
        if (processor is not null) return processor;
        lock (_lock)
            return _evaluators[slot] ??= new PixMixImageProcessor(Recipe, new EvaluationOnlyMixingSet(MixingSetDescription), channels);
    }

    /// <summary>The processor of augmented passes; loads the mixing set on first use and throws <see cref="InvalidOperationException"/> when it is unavailable.</summary>
    internal PixMixImageProcessor GetAugmenter(int channels)
    {
        int slot = channels == 1 ? 0 : 1;
        var processor = Volatile.Read(ref _augmenters[slot]);
        if (processor is not null) return processor;
        lock (_lock)
            return _augmenters[slot] ??= new PixMixImageProcessor(Recipe, ResolveMixingSet(), channels);
    }

    private MixingSet ResolveMixingSet()
    {
        if (_mixingSet is not null) return _mixingSet;
        try
        {
            return _mixingSet = MixingSet.FromDescription(MixingSetDescription);
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException or InvalidDataException or IOException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"PixMix cannot augment: its mixing set {MixingSetDescription} is unavailable ({ex.Message}). The mixing pictures are needed only for augmented (training) passes; transforming and predicting work without them.", ex);
        }
    }

    /// <summary>Stands in for the mixing set in the evaluation processors, which never draw mixing pictures.</summary>
    private sealed class EvaluationOnlyMixingSet(MixingSetDescription description) : MixingSet
    {
        public override int Count => 1;
        public override MixingSetDescription Description => description;
        public override ImageU8 LoadPicture(int index, int minShorterSide)
            => throw new InvalidOperationException("The PixMix evaluation path does not use mixing pictures.");
    }
}
