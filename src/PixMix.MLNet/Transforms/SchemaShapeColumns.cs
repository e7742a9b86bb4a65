using Microsoft.ML;
using Microsoft.ML.Data;

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
    public static SchemaShape.Column FloatVector(string name, int size)
    {
        var output = SchemaDefinition.Create(typeof(VectorRow));
        output[0].ColumnName = name;
        output[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
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
