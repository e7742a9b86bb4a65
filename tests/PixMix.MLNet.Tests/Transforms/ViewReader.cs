using Microsoft.ML;
using Microsoft.ML.Data;

namespace PixMix.MLNet.Tests.Transforms;

/// <summary>Reads float-vector columns of data views, row by row, with the rows' ids.</summary>
internal static class ViewReader
{
    public static List<float[]> Read(IDataView view, string column) => ReadWithIds(view, column).Select(r => r.Values).ToList();

    public static List<(ulong Id, float[] Values)> ReadWithIds(IDataView view, string column)
    {
        var col = view.Schema[column];
        using var cursor = view.GetRowCursor([col]);
        return Drain(cursor, col);
    }

    /// <summary>Reads through a cursor set of <paramref name="n"/> cursors, each drained on its own thread.</summary>
    public static List<(ulong Id, float[] Values)> ReadWithCursorSet(IDataView view, string column, int n, out int cursorCount)
    {
        var col = view.Schema[column];
        var cursors = view.GetRowCursorSet([col], n);
        cursorCount = cursors.Length;
        var parts = new List<(ulong, float[])>[cursors.Length];
        Parallel.For(0, cursors.Length, new ParallelOptions { MaxDegreeOfParallelism = cursors.Length }, i =>
        {
            using var c = cursors[i];
            parts[i] = Drain(c, col);
        });
        return parts.SelectMany(p => p).OrderBy(r => r.Item1).ToList();
    }

    private static List<(ulong, float[])> Drain(DataViewRowCursor cursor, DataViewSchema.Column col)
    {
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        var idGetter = cursor.GetIdGetter();
        var rows = new List<(ulong, float[])>();
        VBuffer<float> value = default;
        DataViewRowId id = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            idGetter(ref id);
            rows.Add((id.Low, value.DenseValues().ToArray()));
        }
        return rows;
    }
}
