namespace PixMix.MLNet.Data;

/// <summary>
/// A view of <see cref="Source"/> whose cursors are created inside <see cref="AugmentationPass"/>
/// (<see cref="Epoch"/>): every augmenting transform upstream (PixMix) augments the rows it produces through it (the
/// rules that keep that true are on <see cref="AugmentationPass"/>).
/// Obtain one with <see cref="PixMixDataCatalogExtensions.Augment"/>.
/// </summary>
public sealed class AugmentedDataView : IDataView
{
    internal AugmentedDataView(IDataView source, long epoch)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch, nameof(epoch));
        Source = source; Epoch = epoch;
    }

    /// <summary>The wrapped view.</summary>
    public IDataView Source { get; }
    /// <summary>The pass (epoch) whose augmentations this view produces.</summary>
    public long Epoch { get; }
    /// <inheritdoc />
    public bool CanShuffle => Source.CanShuffle;
    /// <inheritdoc />
    public DataViewSchema Schema => Source.Schema;
    /// <inheritdoc />
    public long? GetRowCount() => Source.GetRowCount();

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        using (AugmentationPass.Enter(new AugmentationPass(Epoch)))
            return Source.GetRowCursor(columnsNeeded, rand);
    }

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        using (AugmentationPass.Enter(new AugmentationPass(Epoch)))
            return Source.GetRowCursorSet(columnsNeeded, n, rand);
    }
}
