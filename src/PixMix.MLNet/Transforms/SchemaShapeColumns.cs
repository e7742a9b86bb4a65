namespace PixMix.MLNet.Transforms;

/// <summary>
/// Makes <see cref="SchemaShape.Column"/> values for estimators of this library. ML.NET keeps the column constructor
/// internal; the public way to obtain a column is to ask an estimator that adds one, so this asks a
/// <c>CustomMapping</c> estimator whose output definition is the wanted column (its mapping is never run).
/// </summary>
internal static class SchemaShapeColumns
{
    private static readonly MLContext s_context = new(seed: 0);
    private static readonly object s_lock = new();

    /// <summary>A known-size float vector column named <paramref name="name"/>.</summary>
    public static SchemaShape.Column FloatVector(string name, int size) => FloatVector(name, size, _ => { });

    /// <summary>
    /// A known-size float vector column of multiclass scores named <paramref name="name"/>, annotated like a classifier's
    /// Score column: SlotNames (the class names), ScoreColumnKind and ScoreValueKind.
    /// </summary>
    public static SchemaShape.Column ScoreVector(string name)
    {
        // A schema shape records the kinds of the column and its annotations, not their sizes or values.
        const int size = 2;
        return FloatVector(name, size, column =>
        {
            var names = new VBuffer<ReadOnlyMemory<char>>(size, ["0".AsMemory(), "1".AsMemory()]);
            column.AddAnnotation("SlotNames", names, new VectorDataViewType(TextDataViewType.Instance, size));
            column.AddAnnotation("ScoreColumnKind", "MulticlassClassification".AsMemory(), TextDataViewType.Instance);
            column.AddAnnotation("ScoreValueKind", "Score".AsMemory(), TextDataViewType.Instance);
        });
    }

    /// <summary>The column <paramref name="inputName"/> of <paramref name="input"/> copied under the name <paramref name="outputName"/>, with its type and annotations (ML.NET's CopyColumns).</summary>
    public static SchemaShape.Column Copy(SchemaShape input, string outputName, string inputName)
    {
        SchemaShape shape;
        lock (s_lock) shape = s_context.Transforms.CopyColumns(outputName, inputName).GetOutputSchema(input);
        return shape.Single(c => c.Name == outputName);
    }

    private static SchemaShape.Column FloatVector(string name, int size, Action<SchemaDefinition.Column> annotate)
    {
        var output = SchemaDefinition.Create(typeof(VectorRow));
        output[0].ColumnName = name;
        output[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        annotate(output[0]);
        SchemaShape shape;
        lock (s_lock)
        {
            var estimator = s_context.Transforms.CustomMapping<NoColumns, VectorRow>((_, _) => { }, contractName: null, outputSchemaDefinition: output);
            shape = estimator.GetOutputSchema(new SchemaShape([]));
        }
        return shape.Single(c => c.Name == name);
    }

    /// <summary>A row type without columns (the mapping's input).</summary>
    private sealed class NoColumns;

    /// <summary>A row type with one vector column (the mapping's output).</summary>
    private sealed class VectorRow
    {
        public float[] Values = [];
    }
}
