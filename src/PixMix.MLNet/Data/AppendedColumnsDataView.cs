namespace PixMix.MLNet.Data;

/// <summary>
/// A data view of its source's rows with columns appended (<see cref="AppendedColumns"/>): the one IDataView of this
/// library's transforms (PixMix, the image classifier's scoring). Input columns are the source's own; the appended ones
/// come from the <see cref="IAppendedValues"/> that <see cref="Plan"/> makes for each cursor, and only when requested.
/// </summary>
internal abstract class AppendedColumnsDataView : IDataView
{
    protected AppendedColumnsDataView(IDataView source, AppendedColumns columns)
    {
        Source = source; Columns = columns;
    }

    /// <summary>The source view.</summary>
    public IDataView Source { get; }
    /// <summary>The schema's split into input and appended columns.</summary>
    protected AppendedColumns Columns { get; }
    public bool CanShuffle => Source.CanShuffle;
    public DataViewSchema Schema => Columns.Output;
    public long? GetRowCount() => Source.GetRowCount();

    /// <summary>Whether one request may give several cursors (a cursor set of the source); else a set is one cursor.</summary>
    protected virtual bool AllowsCursorSets => true;

    /// <summary>
    /// How the cursors of one request compute the appended columns. Called once per request, before the source's cursors
    /// are opened, and only when an appended column is requested.
    /// </summary>
    /// <param name="rand">The request's random source (null: sequential).</param>
    protected abstract CursorPlan Plan(Random? rand);

    /// <summary>What <see cref="Plan"/> gives.</summary>
    /// <param name="ReadsDependencies">Whether the cursors read the dependencies through the source cursor (else the values read them themselves).</param>
    /// <param name="Values">The values of one source cursor.</param>
    protected sealed record CursorPlan(bool ReadsDependencies, Func<DataViewRowCursor, IAppendedValues> Values);

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var (inputColumns, plan) = Prepare(columnsNeeded, rand);
        return Wrap(Source.GetRowCursor(inputColumns, rand), plan);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        if (!AllowsCursorSets) return [GetRowCursor(columnsNeeded, rand)];
        var (inputColumns, plan) = Prepare(columnsNeeded, rand);
        var sources = Source.GetRowCursorSet(inputColumns, n, rand);
        var cursors = new DataViewRowCursor[sources.Length];
        for (int i = 0; i < sources.Length; i++) cursors[i] = Wrap(sources[i], plan);
        return cursors;
    }

    private (List<DataViewSchema.Column> InputColumns, CursorPlan? Plan) Prepare(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand)
    {
        var (inputColumns, appended) = Columns.Split(columnsNeeded, withDependencies: false);
        if (!appended) return (inputColumns, null);
        var plan = Plan(rand);
        if (plan.ReadsDependencies) inputColumns = Columns.Split(inputColumns.Concat(Columns.Dependencies)).InputColumns;
        return (inputColumns, plan);
    }

    private Cursor Wrap(DataViewRowCursor source, CursorPlan? plan) => new(Columns, source, plan?.Values(source));

    private sealed class Cursor(AppendedColumns columns, DataViewRowCursor input, IAppendedValues? values) : DataViewRowCursor
    {
        private bool _disposed;

        public override DataViewSchema Schema => columns.Output;
        public override long Position => input.Position;
        public override long Batch => input.Batch;
        public override bool MoveNext() => input.MoveNext();
        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => AppendedRow.IsActive(columns, input, values, column);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => AppendedRow.Getter<TValue>(columns, input, values, column);

        protected override void Dispose(bool disposing)
        {
            if (_disposed) return;
            if (disposing) { input.Dispose(); values?.Dispose(); }
            _disposed = true;
            base.Dispose(disposing);
        }
    }
}
