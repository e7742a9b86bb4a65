using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.MLNet.Data;

namespace PixMix.MLNet.Transforms;

/// <summary>
/// The data produced by <see cref="PixMixTransformer.Transform"/>: the source's columns followed by the PixMix output
/// column. Whether a cursor augments is decided when it is created: outside an <see cref="AugmentationPass"/> it applies
/// only the deterministic evaluation path (so scoring never augments and the same image always gives the same output);
/// inside a pass (<see cref="AugmentedDataView"/>, <c>mlContext.Data.Augment(view, epoch)</c>) it augments row r with the
/// random stream (seed, epoch, r). Cursor sets are supported and give every row the same value as a single cursor.
/// </summary>
internal sealed class PixMixDataView : IDataView
{
    private readonly PixMixTransformer _transformer;
    private readonly PixMixBinding _binding;

    public PixMixDataView(PixMixTransformer transformer, IDataView source, PixMixBinding binding)
    {
        _transformer = transformer; Source = source; _binding = binding;
    }

    public IDataView Source { get; }
    public bool CanShuffle => Source.CanShuffle;
    public DataViewSchema Schema => _binding.OutputSchema;
    public long? GetRowCount() => Source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var (sourceColumns, outputActive) = SourceColumns(columnsNeeded);
        var pass = AugmentationPass.Current;
        // Resolve the processor (and, inside a pass, the mixing set) before opening the source.
        if (outputActive) Prepare(pass);
        return new Cursor(this, Source.GetRowCursor(sourceColumns, rand), outputActive, pass);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var (sourceColumns, outputActive) = SourceColumns(columnsNeeded);
        var pass = AugmentationPass.Current;
        if (outputActive) Prepare(pass);
        var sources = Source.GetRowCursorSet(sourceColumns, n, rand);
        var cursors = new DataViewRowCursor[sources.Length];
        for (int i = 0; i < sources.Length; i++) cursors[i] = new Cursor(this, sources[i], outputActive, pass);
        return cursors;
    }

    private void Prepare(AugmentationPass? pass)
    {
        if (pass is null) _transformer.GetEvaluator(_binding.OutputChannels);
        else _transformer.GetAugmenter(_binding.OutputChannels);
    }

    private (List<DataViewSchema.Column> SourceColumns, bool OutputActive) SourceColumns(IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var sourceSchema = Source.Schema;
        var active = new bool[sourceSchema.Count];
        bool outputActive = false;
        foreach (var column in columnsNeeded)
        {
            if (column.Index == _binding.OutputColumnIndex) outputActive = true;
            else if (column.Index < active.Length) active[column.Index] = true;
            else throw new ArgumentOutOfRangeException(nameof(columnsNeeded), $"Column '{column.Name}' (index {column.Index}) is not in this data view's schema.");
        }
        if (outputActive) active[_binding.InputColumnIndex] = true;
        var list = new List<DataViewSchema.Column>();
        for (int i = 0; i < active.Length; i++) if (active[i]) list.Add(sourceSchema[i]);
        return (list, outputActive);
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly PixMixDataView _parent;
        private readonly DataViewRowCursor _source;
        private readonly bool _outputActive;
        private readonly PixMixRowComputer? _computer;
        private long _computedPosition = -1;
        private bool _disposed;

        public Cursor(PixMixDataView parent, DataViewRowCursor source, bool outputActive, AugmentationPass? pass)
        {
            _parent = parent; _source = source; _outputActive = outputActive;
            if (outputActive) _computer = new PixMixRowComputer(parent._transformer, parent._binding, source, pass);
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _source.Position;
        public override long Batch => _source.Batch;
        public override bool MoveNext() => _source.MoveNext();
        public override ValueGetter<DataViewRowId> GetIdGetter() => _source.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column)
            => column.Index == _parent._binding.OutputColumnIndex ? _outputActive : _source.IsColumnActive(_source.Schema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != _parent._binding.OutputColumnIndex) return _source.GetGetter<TValue>(_source.Schema[column.Index]);
            if (!_outputActive) throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            if (typeof(TValue) != typeof(VBuffer<float>))
                throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}; it cannot be read as {typeof(TValue)}.");
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
            {
                long position = _source.Position;
                if (position < 0) throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
                if (_computedPosition != position)
                {
                    _computer!.Compute(position);
                    _computedPosition = position;
                }
                PixMixRowComputer.CopyTo(_computer!.Output, ref value);
            };
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        protected override void Dispose(bool disposing)
        {
            if (_disposed) return;
            if (disposing) _source.Dispose();
            _disposed = true;
            base.Dispose(disposing);
        }
    }
}
