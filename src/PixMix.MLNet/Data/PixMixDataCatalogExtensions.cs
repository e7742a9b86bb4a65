namespace PixMix.MLNet.Data;

/// <summary>Catalog extensions for augmented passes over data.</summary>
public static class PixMixDataCatalogExtensions
{
    /// <summary>
    /// The rows of <paramref name="data"/> as a trainer sees them in pass <paramref name="epoch"/>: every PixMix
    /// transform in the chain that produced <paramref name="data"/> augments. Use it to feed augmented rows to any
    /// trainer; the PixMix image trainer calls it once per epoch itself.
    /// </summary>
    public static IDataView Augment(this DataOperationsCatalog catalog, IDataView data, long epoch)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AugmentedDataView(data, epoch);
    }
}
