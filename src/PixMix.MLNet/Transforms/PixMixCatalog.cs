namespace PixMix.MLNet.Transforms;

/// <summary>PixMix on ML.NET's <see cref="TransformsCatalog"/>: <c>mlContext.Transforms.PixMix(...)</c>.</summary>
public static class PixMixCatalog
{
    /// <summary>
    /// PixMix augmentation (Hendrycks et al., CVPR 2022) of an image column or an HWC pixel-vector column into a
    /// normalized CHW float vector <paramref name="outputColumnName"/>. Scoring and prediction apply only the
    /// deterministic evaluation path; rows are augmented inside augmented passes (<c>mlContext.Data.Augment(view, epoch)</c>,
    /// which the PixMix image trainer uses every epoch).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The float-vector column to write.</param>
    /// <param name="inputColumnName">The image or pixel-vector column to read; null means <paramref name="outputColumnName"/>.</param>
    /// <param name="mixingSet">The mixing pictures; null means those of <paramref name="options"/>, else the built-in fractals.</param>
    /// <param name="options">Recipe, seed, grey handling and input shape; null means <see cref="PixMixOptions.Cifar"/>. Its column names are replaced by the arguments.</param>
    public static PixMixEstimator PixMix(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        MixingSet? mixingSet = null, PixMixOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var o = options?.Clone() ?? PixMixOptions.Cifar;
        o.OutputColumnName = outputColumnName;
        o.InputColumnName = inputColumnName;
        if (mixingSet is not null) o.MixingSet = mixingSet;
        return new PixMixEstimator(o);
    }

    /// <summary>PixMix with all settings in <paramref name="options"/>; see <see cref="PixMix(TransformsCatalog, string, string?, MixingSet?, PixMixOptions?)"/>.</summary>
    public static PixMixEstimator PixMix(this TransformsCatalog catalog, PixMixOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new PixMixEstimator(options);
    }
}
