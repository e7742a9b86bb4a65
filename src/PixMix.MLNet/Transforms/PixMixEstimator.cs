using Microsoft.ML.Transforms.Image;

namespace PixMix.MLNet.Transforms;

/// <summary>
/// The PixMix estimator: checks the input column and produces a <see cref="PixMixTransformer"/> that turns images (or
/// pixel vectors) into normalized CHW float tensors, deterministically for scoring and with PixMix augmentation inside
/// augmented passes. Create it with <c>mlContext.Transforms.PixMix(...)</c>; see <see cref="PixMixTransformer"/> for
/// when rows are augmented.
/// </summary>
public sealed class PixMixEstimator : IEstimator<PixMixTransformer>
{
    private readonly PixMixOptions _options;

    /// <summary>Creates the estimator; throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public PixMixEstimator(PixMixOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        _options.Validate();
    }

    /// <summary>A copy of the options.</summary>
    public PixMixOptions Options => _options.Clone();

    /// <summary>
    /// Checks <paramref name="input"/>'s schema (the input column exists and holds images or HWC pixel vectors of a
    /// known shape) and returns the transformer. Nothing is read: PixMix has no trained state.
    /// </summary>
    public PixMixTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        PixMixBinding.Create(input.Schema, _options);
        var mixingSet = _options.MixingSet ?? MixingSet.Fractals();
        return new PixMixTransformer(_options, mixingSet, mixingSet.Description);
    }

    /// <summary>The input shape plus the output column (a known-size float vector); throws <see cref="ArgumentOutOfRangeException"/> when the input column is missing or unsuitable.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        string name = _options.EffectiveInputColumnName;
        var matches = inputSchema.Where(c => c.Name == name).ToList();
        if (matches.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Column '{name}' not found: the PixMix transform reads its images from it. Columns in the schema: {string.Join(", ", inputSchema.Select(c => $"'{c.Name}'"))}.");
        var column = matches[^1];
        int channels;
        if (column.Kind == SchemaShape.Column.VectorKind.Scalar && column.ItemType is ImageDataViewType) channels = 3;
        else if (column.Kind != SchemaShape.Column.VectorKind.Scalar && !column.IsKey
            && (column.ItemType == NumberDataViewType.Byte || column.ItemType == NumberDataViewType.Single))
        {
            if (column.Kind == SchemaShape.Column.VectorKind.VariableVector && _options.InputShape is null)
                throw new ArgumentOutOfRangeException(nameof(inputSchema),
                    $"Column '{name}' is a variable-size vector without image dimensions, so the image size is unknown; set PixMixOptions.InputShape (height, width, channels).");
            // The exact shape is checked at Fit; a schema shape cannot tell grey from colour unless InputShape says so.
            channels = _options.InputShape is { Channels: 1 } && _options.GreyHandling == GreyHandling.KeepSingleChannel ? 1 : 3;
        }
        else
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Column '{name}' has type {Describe(column)}; expected an image or a known-size vector of bytes/floats of H*W*C values (HWC order).");

        var output = SchemaShapeColumns.FloatVector(_options.OutputColumnName, channels * _options.Recipe.Size * _options.Recipe.Size);
        var columns = inputSchema.Where(c => c.Name != _options.OutputColumnName).ToList();
        columns.Add(output);
        return new SchemaShape(columns);
    }

    private static string Describe(SchemaShape.Column column)
    {
        string item = column.IsKey ? $"Key<{column.ItemType}>" : $"{column.ItemType}";
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Vector => $"Vector<{item}>",
            SchemaShape.Column.VectorKind.VariableVector => $"VarVector<{item}>",
            _ => item,
        };
    }
}
