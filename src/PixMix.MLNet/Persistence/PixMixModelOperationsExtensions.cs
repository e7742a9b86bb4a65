namespace PixMix.MLNet.Persistence;

/// <summary>
/// Saving and loading whole fitted pipelines that contain PixMix transformers or trainers, on <c>mlContext.Model</c>.
/// ML.NET's own <c>mlContext.Model.Save</c> cannot hold third-party transformers, so a PixMix model file is a zip with a
/// versioned manifest: runs of ML.NET's own transformers are saved by ML.NET itself (each with the schema it receives),
/// this library's parts (<see cref="IPixMixModelPart"/>) beside them. Loading rebuilds an ordinary
/// <see cref="TransformerChain{TLastTransformer}"/> usable with <c>Transform</c> and <c>CreatePredictionEngine</c>.
/// </summary>
public static class PixMixModelOperationsExtensions
{
    /// <summary>The version of the model file format written, and the newest this library reads.</summary>
    public const int ModelFormatVersion = ModelManifest.CurrentVersion;

    /// <summary>
    /// Saves <paramref name="model"/> (any chain of ML.NET transformers and <see cref="IPixMixModelPart"/>s; nested chains
    /// are flattened) with the schema of the data it is applied to, as one file at <paramref name="filePath"/>. The file
    /// is written under a temporary name and then renamed, so a reader never sees a partial file.
    /// </summary>
    /// <exception cref="InvalidOperationException">A transformer is neither one of ML.NET's own nor an <see cref="IPixMixModelPart"/>.</exception>
    public static void SavePixMixModel(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string filePath)
        => PixMixModelFile.Save(catalog, model, inputSchema, filePath);

    /// <summary>
    /// Loads a model saved by <see cref="SavePixMixModel"/> as a <see cref="TransformerChain{TLastTransformer}"/>, and the
    /// schema it was saved with.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not a zip or not a PixMix model, is damaged or misses an entry, was written in a newer format version,
    /// or holds a part of an unknown kind or of a newer part version than this library reads. The message names the file.
    /// </exception>
    public static ITransformer LoadPixMixModel(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema inputSchema)
        => PixMixModelFile.Load(catalog, filePath, out inputSchema);
}
