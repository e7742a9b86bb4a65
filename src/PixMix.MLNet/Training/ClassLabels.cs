namespace PixMix.MLNet.Training;

/// <summary>
/// The classes of a label key column: their count and the values of its KeyValues annotation, kept as invariant text
/// plus the value type so they can be saved and restored as the same annotation.
/// </summary>
internal sealed class ClassLabels
{
    internal const string KeyValuesKind = "KeyValues";
    internal const string SlotNamesKind = "SlotNames";

    private ClassLabels(int count, string valueType, string[]? values)
    {
        Count = count; ValueType = valueType; Values = values;
    }

    /// <summary>Number of classes (the key count).</summary>
    public int Count { get; }
    /// <summary>Name of the key values' type (Text, Single, Double, Int32, UInt32, Int64, UInt64, Int16, UInt16, Byte, SByte, Boolean), or "None".</summary>
    public string ValueType { get; }
    /// <summary>The key values as invariant text, or null when the label has no KeyValues annotation.</summary>
    public string[]? Values { get; }

    /// <summary>Slot names of the Score column: the key values, or "0", "1", ... without them.</summary>
    public string[] SlotNames => Values ?? Enumerable.Range(0, Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    internal static ClassLabels Create(int count, string valueType, string[]? values)
    {
        if (count < 2) throw new InvalidDataException($"A classifier needs at least 2 classes; the model declares {count}.");
        if (values is not null && values.Length != count)
            throw new InvalidDataException($"The model declares {count} classes but {values.Length} class names.");
        if (values is not null && !IsSupported(valueType))
            throw new InvalidDataException($"Unknown class value type '{valueType}'.");
        return new ClassLabels(count, values is null ? "None" : valueType, values);
    }

    /// <summary>Reads the classes of <paramref name="column"/>, a key column.</summary>
    internal static ClassLabels FromKeyColumn(DataViewSchema.Column column)
    {
        if (column.Type is not KeyDataViewType key)
            throw new ArgumentOutOfRangeException(nameof(column), $"Label column '{column.Name}' must be a key type (use MapValueToKey); it is {column.Type}.");
        if (key.Count < 2 || key.Count > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(column), $"Label column '{column.Name}' must have between 2 and {int.MaxValue} key values; it has {key.Count}.");
        return FromKeyColumnUnchecked(column, (int)key.Count);
    }

    private static ClassLabels FromKeyColumnUnchecked(DataViewSchema.Column column, int count)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull(KeyValuesKind);
        if (annotation is null || annotation.Value.Type is not VectorDataViewType { ItemType: PrimitiveDataViewType item } vectorType || vectorType.Size != count)
            return new ClassLabels(count, "None", null);
        var (typeName, values) = item.RawType switch
        {
            var t when t == typeof(ReadOnlyMemory<char>) => ("Text", Read<ReadOnlyMemory<char>>(column, v => v.ToString())),
            var t when t == typeof(float) => ("Single", Read<float>(column, v => v.ToString("R", CultureInfo.InvariantCulture))),
            var t when t == typeof(double) => ("Double", Read<double>(column, v => v.ToString("R", CultureInfo.InvariantCulture))),
            var t when t == typeof(int) => ("Int32", Read<int>(column, v => v.ToString(CultureInfo.InvariantCulture))),
            var t when t == typeof(uint) => ("UInt32", Read<uint>(column, v => v.ToString(CultureInfo.InvariantCulture))),
            var t when t == typeof(long) => ("Int64", Read<long>(column, v => v.ToString(CultureInfo.InvariantCulture))),
            var t when t == typeof(ulong) => ("UInt64", Read<ulong>(column, v => v.ToString(CultureInfo.InvariantCulture))),
            var t when t == typeof(short) => ("Int16", Read<short>(column, v => v.ToString(CultureInfo.InvariantCulture))),
            var t when t == typeof(ushort) => ("UInt16", Read<ushort>(column, v => v.ToString(CultureInfo.InvariantCulture))),
            var t when t == typeof(byte) => ("Byte", Read<byte>(column, v => v.ToString(CultureInfo.InvariantCulture))),
            var t when t == typeof(sbyte) => ("SByte", Read<sbyte>(column, v => v.ToString(CultureInfo.InvariantCulture))),
            var t when t == typeof(bool) => ("Boolean", Read<bool>(column, v => v ? "True" : "False")),
            // Any other value type keeps its text form; PredictedLabel's KeyValues are then text.
            _ => ("Text", ReadAsText(column, item)),
        };
        return new ClassLabels(count, typeName, values);
    }

    /// <summary>The KeyValues annotation of a key column as text, or null when it has none of the key's count.</summary>
    internal static string[]? KeyValueNames(DataViewSchema.Column column)
    {
        if (column.Type is not KeyDataViewType key || key.Count is 0 or > int.MaxValue) return null;
        var labels = FromKeyColumnUnchecked(column, (int)key.Count);
        return labels.Values;
    }

    private static string[] Read<T>(DataViewSchema.Column column, Func<T, string> format)
    {
        VBuffer<T> buffer = default;
        column.Annotations.GetValue(KeyValuesKind, ref buffer);
        return buffer.DenseValues().Select(format).ToArray();
    }

    private static string[] ReadAsText(DataViewSchema.Column column, PrimitiveDataViewType item)
    {
        var method = typeof(ClassLabels).GetMethod(nameof(Read), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(item.RawType);
        Func<object?, string> format = v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "";
        var typedFormat = typeof(ClassLabels).GetMethod(nameof(Box), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(item.RawType).Invoke(null, [format]);
        return (string[])method.Invoke(null, [column, typedFormat])!;
    }

    private static Func<T, string> Box<T>(Func<object?, string> format) => v => format(v);

    private static bool IsSupported(string valueType) => valueType is "Text" or "Single" or "Double" or "Int32" or "UInt32" or "Int64"
        or "UInt64" or "Int16" or "UInt16" or "Byte" or "SByte" or "Boolean" or "None";

    /// <summary>The key type of the PredictedLabel column.</summary>
    internal KeyDataViewType KeyType => new(typeof(uint), Count);

    /// <summary>Adds the KeyValues annotation (when the label had one) to <paramref name="builder"/>.</summary>
    internal void AddKeyValues(DataViewSchema.Annotations.Builder builder)
    {
        if (Values is null) return;
        var values = Values;
        switch (ValueType)
        {
            case "Text": Add(builder, TextDataViewType.Instance, values.Select(v => v.AsMemory())); break;
            case "Single": Add(builder, NumberDataViewType.Single, values.Select(v => float.Parse(v, CultureInfo.InvariantCulture))); break;
            case "Double": Add(builder, NumberDataViewType.Double, values.Select(v => double.Parse(v, CultureInfo.InvariantCulture))); break;
            case "Int32": Add(builder, NumberDataViewType.Int32, values.Select(v => int.Parse(v, CultureInfo.InvariantCulture))); break;
            case "UInt32": Add(builder, NumberDataViewType.UInt32, values.Select(v => uint.Parse(v, CultureInfo.InvariantCulture))); break;
            case "Int64": Add(builder, NumberDataViewType.Int64, values.Select(v => long.Parse(v, CultureInfo.InvariantCulture))); break;
            case "UInt64": Add(builder, NumberDataViewType.UInt64, values.Select(v => ulong.Parse(v, CultureInfo.InvariantCulture))); break;
            case "Int16": Add(builder, NumberDataViewType.Int16, values.Select(v => short.Parse(v, CultureInfo.InvariantCulture))); break;
            case "UInt16": Add(builder, NumberDataViewType.UInt16, values.Select(v => ushort.Parse(v, CultureInfo.InvariantCulture))); break;
            case "Byte": Add(builder, NumberDataViewType.Byte, values.Select(v => byte.Parse(v, CultureInfo.InvariantCulture))); break;
            case "SByte": Add(builder, NumberDataViewType.SByte, values.Select(v => sbyte.Parse(v, CultureInfo.InvariantCulture))); break;
            case "Boolean": Add(builder, BooleanDataViewType.Instance, values.Select(v => v == "True")); break;
            default: throw new InvalidDataException($"Unknown class value type '{ValueType}'.");
        }
    }

    private static void Add<T>(DataViewSchema.Annotations.Builder builder, PrimitiveDataViewType type, IEnumerable<T> values)
    {
        var array = values.ToArray();
        ValueGetter<VBuffer<T>> getter = (ref VBuffer<T> dst) => new VBuffer<T>(array.Length, array).CopyTo(ref dst);
        builder.Add(KeyValuesKind, new VectorDataViewType(type, array.Length), getter);
    }

    /// <summary>Adds the SlotNames annotation of the Score column.</summary>
    internal void AddSlotNames(DataViewSchema.Annotations.Builder builder)
    {
        var names = SlotNames.Select(s => s.AsMemory()).ToArray();
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter = (ref VBuffer<ReadOnlyMemory<char>> dst) =>
            new VBuffer<ReadOnlyMemory<char>>(names.Length, names).CopyTo(ref dst);
        builder.Add(SlotNamesKind, new VectorDataViewType(TextDataViewType.Instance, names.Length), getter);
    }
}
