namespace PixMix.MLNet.Training;

/// <summary>Checks and reads the image feature column (a known-size float vector in CHW order).</summary>
internal static class FeatureColumn
{
    /// <summary>
    /// The image shape (C, H, W) of column <paramref name="name"/>: its dimensions when it has three, otherwise the
    /// explicit <paramref name="channels"/> x <paramref name="height"/> x <paramref name="width"/>, which must multiply to its size.
    /// </summary>
    internal static (int Channels, int Height, int Width) ResolveShape(DataViewSchema schema, string name, int channels, int height, int width)
    {
        var column = Find(schema, name);
        var vector = CheckType(column);
        bool explicitShape = channels > 0 || height > 0 || width > 0;
        if (explicitShape)
        {
            if (channels <= 0 || height <= 0 || width <= 0)
                throw new ArgumentOutOfRangeException(nameof(ImageClassifierOptions.ImageChannels), $"{channels}x{height}x{width}",
                    "Set all of ImageChannels, ImageHeight and ImageWidth (or none, to take the shape from a (C, H, W) feature column).");
            if ((long)channels * height * width != vector.Size)
                throw new ArgumentOutOfRangeException(nameof(ImageClassifierOptions.ImageChannels), $"{channels}x{height}x{width}",
                    $"Feature column '{name}' has {vector.Size} values per row, but ImageChannels x ImageHeight x ImageWidth = {channels}x{height}x{width} = {(long)channels * height * width}.");
            if (vector.Dimensions.Length == 3 && (vector.Dimensions[0] != channels || vector.Dimensions[1] != height || vector.Dimensions[2] != width))
                throw new ArgumentOutOfRangeException(nameof(ImageClassifierOptions.ImageChannels), $"{channels}x{height}x{width}",
                    $"Feature column '{name}' has dimensions ({string.Join(", ", vector.Dimensions.ToArray())}), which differ from the options' {channels}x{height}x{width}.");
            return (channels, height, width);
        }
        if (vector.Dimensions.Length != 3)
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Feature column '{name}' is a vector with dimensions ({string.Join(", ", vector.Dimensions.ToArray())}); expected three dimensions (channels, height, width) " +
                "as the PixMix transform produces, or set ImageChannels, ImageHeight and ImageWidth for a one-dimensional vector.");
        return (vector.Dimensions[0], vector.Dimensions[1], vector.Dimensions[2]);
    }

    /// <summary>Checks that <paramref name="schema"/>'s column <paramref name="name"/> holds <paramref name="size"/> floats per row.</summary>
    internal static DataViewSchema.Column Check(DataViewSchema schema, string name, int size)
    {
        var column = Find(schema, name);
        var vector = CheckType(column);
        if (vector.Size != size)
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Schema mismatch for feature column '{name}': expected a vector of {size} Single values, got {vector.Size}.");
        return column;
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string name) =>
        schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(schema),
            $"Feature column '{name}' not found; the data has columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");

    private static VectorDataViewType CheckType(DataViewSchema.Column column)
    {
        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single || !vector.IsKnownSize)
            throw new ArgumentOutOfRangeException("schema",
                $"Schema mismatch for feature column '{column.Name}': expected a known-size vector of Single (C x H x W image pixels), got {column.Type}.");
        return vector;
    }

    /// <summary>Copies one row's features (dense or sparse) into <paramref name="destination"/>.</summary>
    internal static void CopyTo(in VBuffer<float> value, Span<float> destination, string columnName)
    {
        if (value.Length != destination.Length)
            throw new InvalidDataException($"Feature column '{columnName}' gave a vector of {value.Length} values; expected {destination.Length}.");
        var values = value.GetValues();
        if (value.IsDense)
        {
            values.CopyTo(destination);
            return;
        }
        destination.Clear();
        var indices = value.GetIndices();
        for (int i = 0; i < indices.Length; i++) destination[indices[i]] = values[i];
    }

    /// <summary>A reader of the 1-based key value of a key column of any raw type (0 = missing).</summary>
    internal static Func<ulong> KeyReader(DataViewRow row, DataViewSchema.Column column)
    {
        var raw = column.Type.RawType;
        if (raw == typeof(uint)) { var g = row.GetGetter<uint>(column); uint v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(byte)) { var g = row.GetGetter<byte>(column); byte v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(ushort)) { var g = row.GetGetter<ushort>(column); ushort v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(ulong)) { var g = row.GetGetter<ulong>(column); ulong v = 0; return () => { g(ref v); return v; }; }
        throw new ArgumentOutOfRangeException(nameof(column), $"Label column '{column.Name}' has unsupported key raw type {raw.Name}.");
    }
}
