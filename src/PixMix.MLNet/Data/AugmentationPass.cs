namespace PixMix.MLNet.Data;

/// <summary>
/// The training pass that augmenting transforms (PixMix) see when a cursor is created. Cursors created outside
/// a pass apply only the deterministic part of a transform (evaluation crop, normalization), so scoring and
/// prediction never augment. Cursors created inside a pass augment with randomness derived from
/// (seed, <see cref="Epoch"/>, row index).
/// </summary>
/// <remarks>
/// The pass is an <see cref="AsyncLocal{T}"/> read once, when a cursor is created; what follows from that:
/// <list type="bullet">
/// <item>Only cursors opened inside <c>GetRowCursor</c>/<c>GetRowCursorSet</c> of an <see cref="AugmentedDataView"/>
/// (<c>mlContext.Data.Augment(data, epoch)</c>, what the image classifier reads each epoch) augment, each with its
/// epoch's randomness; a cursor keeps the pass it was created in, whatever thread later moves it.</item>
/// <item>Every view between PixMix and the trainer must open its upstream cursors inside its own <c>GetRowCursor</c>
/// (as ML.NET's row-to-row transforms do). A view that opens them elsewhere (ahead of time, on another thread's
/// schedule, or once for several passes) gives rows of whatever pass was current then: the same augmentation every
/// epoch, or none.</item>
/// <item>A cache between PixMix and the trainer (<c>AppendCacheCheckpoint</c>) fills itself once, from the first
/// pass, and replays those rows: every epoch then trains on the first epoch's augmentations. Cache before PixMix,
/// never after it.</item>
/// <item>Row ids seed the rows' random streams, so a row's augmentation does not depend on the number of cursors,
/// their order or the shuffling.</item>
/// </list>
/// </remarks>
public sealed record AugmentationPass(long Epoch)
{
    private static readonly AsyncLocal<AugmentationPass?> s_current = new();

    /// <summary>The pass in force on this logical thread, or null (no augmentation).</summary>
    public static AugmentationPass? Current => s_current.Value;

    /// <summary>Makes <paramref name="pass"/> current until the returned scope is disposed.</summary>
    public static IDisposable Enter(AugmentationPass pass)
    {
        ArgumentNullException.ThrowIfNull(pass);
        var previous = s_current.Value;
        s_current.Value = pass;
        return new Scope(previous);
    }

    private sealed class Scope(AugmentationPass? previous) : IDisposable
    {
        private bool _disposed;
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            s_current.Value = previous;
        }
    }
}
