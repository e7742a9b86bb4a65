using Microsoft.ML.Transforms.Image;

namespace PixMix.MLNet.Evaluation;

/// <summary>
/// Where images that do not come from the clean data (corruptions, out-of-distribution sets, perturbation frames)
/// enter a fitted chain: at its first image column after its last <c>ResizeImages</c>, or, without a resize, at its
/// first image column (an input pixel vector, or the output of <c>LoadImages</c>). The steps before that point
/// (loading, resizing, mapping the label) are skipped for such images; the steps after it, the suffix, score them.
/// </summary>
internal sealed class EvaluationChain(IReadOnlyList<ITransformer> steps, int entryStep, DataViewSchema.Column entry, ImageColumnFormat format,
    int height, int width, int channels, string labelColumnName)
{
    private readonly IReadOnlyList<ITransformer> _steps = steps;

    /// <summary>The index of the first step that images entering here pass through.</summary>
    public int EntryStep { get; } = entryStep;
    /// <summary>The entry column, as the schema before <see cref="EntryStep"/> has it.</summary>
    public DataViewSchema.Column EntryColumn { get; } = entry;
    /// <summary>How images are presented at the entry.</summary>
    public ImageColumnFormat Format { get; } = format;
    /// <summary>The entry's image height, or 0 where the entry accepts any size (an MLImage without a resize).</summary>
    public int Height { get; } = height;
    /// <summary>The entry's image width, or 0 where the entry accepts any size.</summary>
    public int Width { get; } = width;
    /// <summary>The entry's channel count (3 for MLImage entries, which hold colour pictures).</summary>
    public int Channels { get; } = channels;
    /// <summary>The label column given to images entering here.</summary>
    public string LabelColumnName { get; } = labelColumnName;
    /// <summary>The steps from the entry on.</summary>
    public ITransformer Suffix { get; } = entryStep == 0 && steps.Count == 1 ? steps[0] : new TransformerChain<ITransformer>(steps.Skip(entryStep).ToArray());
    /// <summary>Whether the entry is the chain's own input (the clean data's image column, scored by the whole chain).</summary>
    public bool IsChainInput => EntryStep == 0;

    /// <summary>A description for messages and reports.</summary>
    public string Describe()
        => IsChainInput ? $"the chain's input column '{EntryColumn.Name}' ({EntryColumn.Type})"
            : $"column '{EntryColumn.Name}' ({EntryColumn.Type}) after step {EntryStep} of {_steps.Count} ({_steps[EntryStep - 1].GetType().Name})";

    /// <summary>Finds the entry of <paramref name="model"/> for data of <paramref name="inputSchema"/>.</summary>
    /// <exception cref="ArgumentException">The chain has no image column, or cannot be applied to the schema.</exception>
    public static EvaluationChain Analyze(ITransformer model, DataViewSchema inputSchema, string preferredImageColumn, string labelColumnName)
    {
        ArgumentNullException.ThrowIfNull(model);
        var steps = ChainSteps.Flatten(model);
        var schemas = new List<DataViewSchema> { inputSchema };
        for (int i = 0; i < steps.Count; i++)
        {
            try { schemas.Add(steps[i].GetOutputSchema(schemas[i])); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                throw new ArgumentException($"The model's step {i + 1} of {steps.Count} ({steps[i].GetType().Name}) cannot be applied to the data: {e.Message}", e);
            }
        }

        // The last resize: its new image column is the entry.
        for (int i = steps.Count - 1; i >= 0; i--)
        {
            if (steps[i] is not ImageResizingTransformer) continue;
            var added = AddedColumns(schemas[i], schemas[i + 1]).FirstOrDefault(c => c.Type is ImageDataViewType);
            if (added.Name is null) continue;
            var t = (ImageDataViewType)added.Type;
            return new EvaluationChain(steps, i + 1, added, ImageColumnFormat.MLImage, t.Height, t.Width, 3, labelColumnName);
        }

        // No resize: an image column of the input (the preferred name first), else the first image a step makes.
        var input = inputSchema.Where(c => !c.IsHidden && IsImage(c.Type)).ToList();
        var chosen = input.FirstOrDefault(c => c.Name == preferredImageColumn);
        if (chosen.Name is null && input.Count > 0) chosen = input[0];
        if (chosen.Name is not null) return FromColumn(steps, 0, chosen, labelColumnName);
        for (int i = 0; i < steps.Count; i++)
        {
            var added = AddedColumns(schemas[i], schemas[i + 1]).FirstOrDefault(c => IsImage(c.Type));
            if (added.Name is not null) return FromColumn(steps, i + 1, added, labelColumnName);
        }
        throw new ArgumentException(
            $"The model has no image column to evaluate images through: its input has no image ({ColumnList(inputSchema)}) and no step makes one " +
            "(expected an MLImage column from LoadImages/ResizeImages, or a byte or float pixel vector of shape (H, W, C)).");
    }

    private static EvaluationChain FromColumn(IReadOnlyList<ITransformer> steps, int entryStep, DataViewSchema.Column column, string labelColumnName)
    {
        switch (column.Type)
        {
            case ImageDataViewType image:
                return new EvaluationChain(steps, entryStep, column, ImageColumnFormat.MLImage, image.Height, image.Width, 3, labelColumnName);
            case VectorDataViewType { Dimensions.Length: 3 } v:
                var format = v.ItemType == NumberDataViewType.Byte ? ImageColumnFormat.Bytes : ImageColumnFormat.Floats;
                return new EvaluationChain(steps, entryStep, column, format, v.Dimensions[0], v.Dimensions[1], v.Dimensions[2], labelColumnName);
            default:
                throw new ArgumentException($"Column '{column.Name}' ({column.Type}) is not an image column.");
        }
    }

    /// <summary>An MLImage, or a byte or float vector of shape (H, W, C) with 1 or 3 channels.</summary>
    internal static bool IsImage(DataViewType type) => type switch
    {
        ImageDataViewType => true,
        VectorDataViewType { Dimensions.Length: 3 } v => (v.ItemType == NumberDataViewType.Byte || v.ItemType == NumberDataViewType.Single)
            && v.Dimensions[2] is 1 or 3 && v.Dimensions[0] > 0 && v.Dimensions[1] > 0,
        _ => false,
    };

    /// <summary>
    /// Checks that images of <paramref name="source"/>'s shape can enter here, naming <paramref name="what"/> when not.
    /// An MLImage entry without a resize takes any size (the chain's later steps check it); grey images enter an
    /// MLImage as grey RGB.
    /// </summary>
    public void CheckShape(IImageSource source, string what)
    {
        ArgumentNullException.ThrowIfNull(source);
        bool sizeOk = Height == 0 || (source.Height == Height && source.Width == Width);
        bool channelsOk = Format == ImageColumnFormat.MLImage ? source.Channels is 1 or 3 : source.Channels == Channels;
        if (sizeOk && channelsOk) return;
        throw new ArgumentException(
            $"The images of {what} are {source.Width}x{source.Height} with {source.Channels} channel(s); the model takes them at {Describe()}, " +
            $"which holds {(Height == 0 ? "images of any size" : $"{Width}x{Height}")}{(Format == ImageColumnFormat.MLImage ? "" : $" with {Channels} channel(s)")}.");
    }

    /// <summary>
    /// A view presenting <paramref name="source"/> at the entry: the entry column and a key label column whose key values
    /// are <paramref name="classNames"/> (labels mapped through <paramref name="labelMap"/>; no label column when it is null).
    /// </summary>
    public IDataView Feed(IImageSource source, int classCount, IReadOnlyList<string>? classNames, int[]? labelMap)
        => new ImageSourceDataView(source, EntryColumn.Name, Format, source.HasLabels && labelMap is not null ? LabelColumnName : null, classCount, classNames, labelMap);

    /// <summary>
    /// The clean data's images as they reach the entry (loaded, resized), with their labels from
    /// <paramref name="labelColumn"/> of the model's output (keys; 0 = missing becomes -1): the clean image source itself
    /// where the entry is its byte or float column, else a <see cref="SpilledImageSource"/> (the caller disposes it). Used to
    /// corrupt the very images the model scores.
    /// </summary>
    public IImageSource Materialize(ITransformer model, IDataView clean, DataViewSchema.Column? labelColumn, IReadOnlyList<string>? classNames)
    {
        if (IsChainInput && clean is ImageSourceDataView { Source: var direct } && Format != ImageColumnFormat.MLImage) return direct;
        var prefix = new TransformerChain<ITransformer>(_steps.Take(EntryStep).ToArray());
        var atEntry = EntryStep == 0 ? clean : prefix.Transform(clean);
        // Read the label where it is a key: after the prefix when it already is one there, else at the model's output
        // (steps append their columns, so the entry column keeps its index there).
        IDataView labelled = atEntry;
        DataViewSchema.Column? label = null;
        if (labelColumn is { } lc)
        {
            if (atEntry.Schema.GetColumnOrNull(lc.Name) is { Type: KeyDataViewType } early) label = early;
            else { labelled = model.Transform(clean); label = labelled.Schema.GetColumnOrNull(lc.Name); }
        }
        var entry = labelled.Schema[EntryColumn.Index];
        if (entry.Name != EntryColumn.Name) throw new InvalidOperationException($"The entry column '{EntryColumn.Name}' moved in the model's output.");
        SpilledImageSource? spilled = null;
        try
        {
            int h = Height, w = Width, c = Format == ImageColumnFormat.MLImage ? 3 : Channels;
            var active = label is { } l ? new[] { entry, l } : new[] { entry };
            using (var cursor = labelled.GetRowCursor(active))
            {
                var labelGetter = label is { } lcol ? Training.FeatureColumn.KeyReader(cursor, lcol) : null;
                ValueGetter<MLImage>? imageGetter = Format == ImageColumnFormat.MLImage ? cursor.GetGetter<MLImage>(entry) : null;
                ValueGetter<VBuffer<byte>>? byteGetter = Format == ImageColumnFormat.Bytes ? cursor.GetGetter<VBuffer<byte>>(entry) : null;
                ValueGetter<VBuffer<float>>? floatGetter = Format == ImageColumnFormat.Floats ? cursor.GetGetter<VBuffer<float>>(entry) : null;
                MLImage? image = null;
                VBuffer<byte> bytes = default;
                VBuffer<float> floats = default;
                byte[] pixels = [];
                while (cursor.MoveNext())
                {
                    if (imageGetter is not null)
                    {
                        imageGetter(ref image!);
                        if (h == 0) { h = image.Height; w = image.Width; }
                        if (image.Width != w || image.Height != h)
                            throw new ArgumentException($"The clean images reach {Describe()} at different sizes ({w}x{h}, then {image.Width}x{image.Height}); a resize before it gives them one size.");
                        if (pixels.Length != h * w * 3) pixels = new byte[h * w * 3];
                        ImageSourceRows.ToRgb(image, pixels, EntryColumn.Name, spilled?.Count ?? 0);
                    }
                    else if (byteGetter is not null)
                    {
                        byteGetter(ref bytes);
                        if (pixels.Length != h * w * c) pixels = new byte[h * w * c];
                        bytes.CopyTo(pixels);
                    }
                    else
                    {
                        floatGetter!(ref floats);
                        if (pixels.Length != h * w * c) pixels = new byte[h * w * c];
                        int i = 0;
                        foreach (var v in floats.DenseValues()) pixels[i++] = (byte)Math.Clamp(MathF.Round(v), 0, 255);
                    }
                    spilled ??= new SpilledImageSource(w, h, c, label is not null, classNames);
                    spilled.Add(pixels, labelGetter is null ? -1 : (int)labelGetter() - 1);
                }
            }
            if (spilled is null) throw new InvalidDataException("The clean test data has no rows.");
            spilled.Complete();
            return spilled;
        }
        catch
        {
            spilled?.Dispose();
            throw;
        }
    }

    private static IEnumerable<DataViewSchema.Column> AddedColumns(DataViewSchema before, DataViewSchema after)
        => after.Where(c => !c.IsHidden && c.Index >= before.Count); // every step appends its outputs (a replaced column is hidden, not overwritten)

    private static string ColumnList(DataViewSchema schema) => string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"{c.Name} ({c.Type})"));
}
