using Microsoft.ML;
using Microsoft.ML.Data;

namespace PixMix.MLNet.Transforms;

/// <summary>
/// The row-to-row mapper of a <see cref="PixMixTransformer"/>, used by ML.NET's <c>PredictionEngine</c>: it appends the
/// output column computed with the deterministic evaluation path only (never augments).
/// </summary>
internal sealed class PixMixRowMapper : IRowToRowMapper
{
    private readonly PixMixTransformer _transformer;
    private readonly PixMixBinding _binding;

    public PixMixRowMapper(PixMixTransformer transformer, PixMixBinding binding)
    {
        _transformer = transformer; _binding = binding;
    }

    public DataViewSchema InputSchema => _binding.InputSchema;
    public DataViewSchema OutputSchema => _binding.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        ArgumentNullException.ThrowIfNull(dependingColumns);
        var active = new bool[InputSchema.Count];
        foreach (var column in dependingColumns)
        {
            if (column.Index == _binding.OutputColumnIndex) active[_binding.InputColumnIndex] = true;
            else if (column.Index < active.Length) active[column.Index] = true;
        }
        var list = new List<DataViewSchema.Column>();
        for (int i = 0; i < active.Length; i++) if (active[i]) list.Add(InputSchema[i]);
        return list;
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(activeColumns);
        bool outputActive = activeColumns.Any(c => c.Index == _binding.OutputColumnIndex);
        return new Row(this, input, outputActive);
    }

    private sealed class Row : DataViewRow
    {
        private readonly PixMixRowMapper _parent;
        private readonly DataViewRow _input;
        private readonly bool _outputActive;
        private readonly PixMixRowComputer? _computer;

        public Row(PixMixRowMapper parent, DataViewRow input, bool outputActive)
        {
            _parent = parent; _input = input; _outputActive = outputActive;
            if (outputActive) _computer = new PixMixRowComputer(parent._transformer, parent._binding, input, pass: null);
        }

        public override DataViewSchema Schema => _parent.OutputSchema;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column)
            => column.Index == _parent._binding.OutputColumnIndex ? _outputActive : _input.IsColumnActive(_input.Schema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != _parent._binding.OutputColumnIndex) return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            if (!_outputActive) throw new InvalidOperationException($"Column '{column.Name}' was not requested as active.");
            if (typeof(TValue) != typeof(VBuffer<float>))
                throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}; it cannot be read as {typeof(TValue)}.");
            // The input row may change between calls without its position changing (a prediction engine reuses it), so
            // every call computes; the evaluation path is deterministic, so repeated calls agree.
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) => PixMixRowComputer.CopyTo(_computer!.Compute(_input.Position), ref value);
            return (ValueGetter<TValue>)(Delegate)getter;
        }
    }
}
