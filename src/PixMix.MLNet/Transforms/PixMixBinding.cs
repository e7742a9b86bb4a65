using Microsoft.ML.Transforms.Image;

namespace PixMix.MLNet.Transforms;

/// <summary>
/// The PixMix transform bound to one input schema: where the input column is, what it holds, and the output schema
/// (the input columns followed by the output column). Creating it performs all schema checks.
/// </summary>
internal sealed class PixMixBinding
{
    private PixMixBinding(DataViewSchema inputSchema, int inputColumnIndex, PixMixInputKind kind, ImageShape? shape, int outputChannels,
        VectorDataViewType outputType, DataViewSchema outputSchema)
    {
        InputSchema = inputSchema; InputColumnIndex = inputColumnIndex; Kind = kind; Shape = shape; OutputChannels = outputChannels;
        OutputType = outputType; OutputSchema = outputSchema;
        Columns = new AppendedColumns(inputSchema, outputSchema, inputSchema[inputColumnIndex]);
    }

    public DataViewSchema InputSchema { get; }
    public int InputColumnIndex { get; }
    public DataViewSchema.Column InputColumn => InputSchema[InputColumnIndex];
    public PixMixInputKind Kind { get; }
    /// <summary>The shape of vector inputs; null for images (their size is read per row).</summary>
    public ImageShape? Shape { get; }
    /// <summary>Whether a vector input's length is only known per row (variable-size vector read with <see cref="PixMixOptions.InputShape"/>).</summary>
    public bool VariableLength => InputColumn.Type is VectorDataViewType { IsKnownSize: false };
    public int OutputChannels { get; }
    public VectorDataViewType OutputType { get; }
    public DataViewSchema OutputSchema { get; }
    /// <summary>The input columns and the appended output column, computed from the input column.</summary>
    public AppendedColumns Columns { get; }
    /// <summary>The output column's index in <see cref="OutputSchema"/>: after all input columns.</summary>
    public int OutputColumnIndex => InputSchema.Count;

    /// <summary>Checks <paramref name="inputSchema"/> against <paramref name="options"/>; throws <see cref="ArgumentOutOfRangeException"/> with a message naming the column otherwise.</summary>
    public static PixMixBinding Create(DataViewSchema inputSchema, PixMixOptions options)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        string name = options.EffectiveInputColumnName;
        var found = inputSchema.GetColumnOrNull(name);
        if (found is not { } column)
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Column '{name}' not found: the PixMix transform reads its images from it. Columns in the schema: {string.Join(", ", inputSchema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"))}.");

        PixMixInputKind kind;
        ImageShape? shape = null;
        int outputChannels;
        if (column.Type is ImageDataViewType)
        {
            kind = PixMixInputKind.Image;
            outputChannels = 3;
        }
        else if (column.Type is VectorDataViewType vector && (vector.ItemType == NumberDataViewType.Byte || vector.ItemType == NumberDataViewType.Single))
        {
            kind = vector.ItemType == NumberDataViewType.Byte ? PixMixInputKind.ByteVector : PixMixInputKind.FloatVector;
            shape = ResolveShape(column, vector, options.InputShape);
            outputChannels = shape.Value.Channels == 1 && options.GreyHandling == GreyHandling.KeepSingleChannel ? 1 : 3;
        }
        else
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Column '{name}' has type {column.Type}; expected an image or a known-size vector of bytes/floats of H*W*C values (HWC order).");
        }

        int size = options.Recipe.Size;
        if (ReadsItsSizeOnly(options.Recipe))
        {
            // An ML.NET image type gives its size when the images were resized or loaded at a fixed size (0: unknown, checked per row).
            var (height, width) = column.Type is ImageDataViewType image ? (image.Height, image.Width) : (shape!.Value.Height, shape.Value.Width);
            if (height > 0 && width > 0 && (height != size || width != size))
                throw new ArgumentOutOfRangeException(nameof(inputSchema), SizeMismatch(name, height, width, size));
        }
        var outputType = new VectorDataViewType(NumberDataViewType.Single, outputChannels, size, size);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(options.OutputColumnName, outputType);
        return new PixMixBinding(inputSchema, column.Index, kind, shape, outputChannels, outputType, builder.ToSchema());
    }

    /// <summary>
    /// Whether the recipe's evaluation takes images at its own size only: the CIFAR recipe's test transform is the image
    /// as it is, so an image of another size has no evaluation of its own (a silent crop or resize would score something
    /// the model was never shown). The ImageNet recipe resizes and centre-crops any size, as the paper does.
    /// </summary>
    internal static bool ReadsItsSizeOnly(PixMixRecipe recipe) => recipe.TrainTransform == TrainTransform.CifarCropFlip;

    /// <summary>The one-line refusal of images of another size than the recipe's.</summary>
    internal static string SizeMismatch(string columnName, int height, int width, int size) =>
        $"Column '{columnName}' holds {width}x{height} images but the PixMix recipe reads {size}x{size} images as they are (the CIFAR recipe neither resizes nor crops when scoring); " +
        $"give the images at {size}x{size} (for example with ResizeImages, or the size the model was trained at) or use a recipe of their size.";

    private static ImageShape ResolveShape(DataViewSchema.Column column, VectorDataViewType vector, ImageShape? given)
    {
        string name = column.Name;
        ImageShape? fromType = vector.Dimensions.Length switch
        {
            3 when vector.Dimensions[2] is 1 or 3 or 4 && vector.Dimensions[0] > 0 && vector.Dimensions[1] > 0
                => new ImageShape(vector.Dimensions[0], vector.Dimensions[1], vector.Dimensions[2]),
            2 when vector.Dimensions[0] > 0 && vector.Dimensions[1] > 0 => new ImageShape(vector.Dimensions[0], vector.Dimensions[1], 1),
            _ => null,
        };
        if (fromType is null && vector.Dimensions.Length == 3 && vector.Dimensions[0] is 1 or 3 && given is null)
            throw new ArgumentOutOfRangeException("inputSchema",
                $"Column '{name}' has type {vector} with dimensions ({string.Join(", ", vector.Dimensions)}), which look like CHW; PixMix reads pixel vectors in HWC order (height, width, channels). Set PixMixOptions.InputShape if the layout is HWC.");

        if (given is { } shape)
        {
            if (fromType is { } t && t != shape)
                throw new ArgumentOutOfRangeException("inputSchema",
                    $"Column '{name}' has image dimensions {t} (height x width x channels) but PixMixOptions.InputShape is {shape}.");
            if (vector.IsKnownSize && vector.Size != shape.Length)
                throw new ArgumentOutOfRangeException("inputSchema",
                    $"Column '{name}' holds {vector.Size} values per row, but PixMixOptions.InputShape {shape} (height x width x channels) needs {shape.Length}.");
            return shape;
        }
        if (fromType is { } typed)
        {
            if (vector.Size != typed.Length)
                throw new ArgumentOutOfRangeException("inputSchema", $"Column '{name}' holds {vector.Size} values per row, but its dimensions {typed} need {typed.Length}.");
            return typed;
        }
        string sizeText = vector.IsKnownSize ? $"a vector of {vector.Size} values" : "a variable-size vector";
        throw new ArgumentOutOfRangeException("inputSchema",
            $"Column '{name}' is {sizeText} without image dimensions, so the image size is unknown; set PixMixOptions.InputShape (height, width, channels) or give the column's type the dimensions (H, W, C).");
    }
}
