using Microsoft.ML;
using Microsoft.ML.Data;

namespace PixMix.MLNet.Tests.Training;

/// <summary>
/// Schema shapes for estimator tests, made through ML.NET's public API: a CustomMapping estimator whose output
/// definition holds the wanted columns (its mapping never runs), as a pipeline's first estimator would see them.
/// </summary>
internal static class SchemaShapes
{
    /// <summary>The shape of the columns of <typeparamref name="TRow"/> as <paramref name="definition"/> types them.</summary>
    internal static SchemaShape Of<TRow>(MLContext context, SchemaDefinition definition) where TRow : class, new()
        => context.Transforms.CustomMapping<NoColumns, TRow>((_, _) => { }, contractName: null, outputSchemaDefinition: definition)
            .GetOutputSchema(new SchemaShape([]));

    /// <summary>A row type without columns.</summary>
    internal sealed class NoColumns;
}
