namespace PixMix.MLNet.Data;

/// <summary>
/// The row-to-row mapper of a transform that appends columns (<see cref="AppendedColumns"/>), used by ML.NET's
/// <c>PredictionEngine</c>: the input row with the appended columns, computed by the <see cref="IAppendedValues"/> that
/// <see cref="Values"/> makes when one of them is active.
/// </summary>
internal abstract class AppendedColumnsRowMapper : IRowToRowMapper
{
    protected AppendedColumnsRowMapper(AppendedColumns columns) => Columns = columns;

    /// <summary>The schema's split into input and appended columns.</summary>
    protected AppendedColumns Columns { get; }
    public DataViewSchema InputSchema => Columns.Input;
    public DataViewSchema OutputSchema => Columns.Output;

    /// <summary>The values of the appended columns for <paramref name="input"/>.</summary>
    protected abstract IAppendedValues Values(DataViewRow input);

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        Columns.Split(dependingColumns).InputColumns;

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (_, appended) = Columns.Split(activeColumns, withDependencies: false);
        return new AppendedRow(Columns, input, appended ? Values(input) : null);
    }
}
