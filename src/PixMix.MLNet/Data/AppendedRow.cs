namespace PixMix.MLNet.Data;

/// <summary>
/// One input row with columns appended (<see cref="AppendedColumns"/>), for the row-to-row mappers that ML.NET's
/// <c>PredictionEngine</c> uses; and the column access it shares with <see cref="AppendedColumnsDataView"/>'s cursors.
/// </summary>
internal sealed class AppendedRow(AppendedColumns columns, DataViewRow input, IAppendedValues? values) : DataViewRow
{
    public override DataViewSchema Schema => columns.Output;
    public override long Position => input.Position;
    public override long Batch => input.Batch;
    public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
    public override bool IsColumnActive(DataViewSchema.Column column) => IsActive(columns, input, values, column);
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => Getter<TValue>(columns, input, values, column);

    protected override void Dispose(bool disposing)
    {
        if (disposing) values?.Dispose();
        base.Dispose(disposing);
    }

    internal static bool IsActive(AppendedColumns columns, DataViewRow input, IAppendedValues? values, DataViewSchema.Column column) =>
        columns.IsAppended(column) ? values is not null : input.IsColumnActive(input.Schema[column.Index]);

    internal static ValueGetter<TValue> Getter<TValue>(AppendedColumns columns, DataViewRow input, IAppendedValues? values, DataViewSchema.Column column)
    {
        if (!columns.IsAppended(column)) return input.GetGetter<TValue>(input.Schema[column.Index]);
        if (values is null) throw new InvalidOperationException($"Column '{column.Name}' was not requested when the row or cursor was created.");
        return values.Getter(column) as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}; it cannot be read as {typeof(TValue)}.");
    }
}
