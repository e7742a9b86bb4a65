namespace PixMix.MLNet.Data;

/// <summary>
/// The schema of a view that appends columns to its input (the PixMix output; a classifier's Score and PredictedLabel):
/// the input's columns, then the appended ones, which are computed from <see cref="Dependencies"/>.
/// </summary>
internal sealed class AppendedColumns
{
    internal AppendedColumns(DataViewSchema input, DataViewSchema output, params DataViewSchema.Column[] dependencies)
    {
        Input = input; Output = output; Dependencies = dependencies;
    }

    /// <summary>The input schema.</summary>
    internal DataViewSchema Input { get; }
    /// <summary>The input's columns followed by the appended ones.</summary>
    internal DataViewSchema Output { get; }
    /// <summary>The input columns the appended ones are computed from.</summary>
    internal IReadOnlyList<DataViewSchema.Column> Dependencies { get; }

    /// <summary>Whether <paramref name="column"/> (of <see cref="Output"/>) is an appended column.</summary>
    internal bool IsAppended(DataViewSchema.Column column) => column.Index >= Input.Count;

    /// <summary>
    /// Splits requested output columns into the input columns they need (in schema order, with <see cref="Dependencies"/>
    /// when an appended column is requested and <paramref name="withDependencies"/>) and whether an appended one is requested.
    /// </summary>
    internal (List<DataViewSchema.Column> InputColumns, bool AppendedActive) Split(IEnumerable<DataViewSchema.Column> columns, bool withDependencies = true)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var active = new bool[Input.Count];
        bool appended = false;
        foreach (var column in columns)
        {
            if (column.Index < active.Length) active[column.Index] = true;
            else if (column.Index < Output.Count) appended = true;
            else throw new ArgumentOutOfRangeException(nameof(columns), $"Column '{column.Name}' (index {column.Index}) is not in this data view's schema.");
        }
        if (appended && withDependencies) foreach (var dependency in Dependencies) active[dependency.Index] = true;
        var list = new List<DataViewSchema.Column>();
        for (int i = 0; i < active.Length; i++) if (active[i]) list.Add(Input[i]);
        return (list, appended);
    }
}
