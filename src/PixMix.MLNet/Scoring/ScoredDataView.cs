using Microsoft.ML;
using Microsoft.ML.Data;

namespace PixMix.MLNet.Training;

/// <summary>
/// The data scored by an <see cref="ImageClassificationTransformer"/>: the input columns plus Score and PredictedLabel.
/// Sequential cursors score rows in batches (a second cursor reads the features ahead, one forward pass per batch);
/// shuffled cursors score row by row.
/// </summary>
internal sealed class ScoredDataView : IDataView
{
    private readonly IDataView _source;
    private readonly ScoringSchema _schema;
    private readonly NetworkRunner _runner;
    private readonly int _batchSize;

    internal ScoredDataView(IDataView source, ScoringSchema schema, NetworkRunner runner, int batchSize)
    {
        _source = source; _schema = schema; _runner = runner; _batchSize = batchSize;
    }

    public bool CanShuffle => _source.CanShuffle;
    public DataViewSchema Schema => _schema.Output;
    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var (inputColumns, scoresNeeded) = _schema.Split(columnsNeeded);
        bool batched = scoresNeeded && rand is null && _batchSize > 1;
        if (scoresNeeded && !batched && !inputColumns.Any(c => c.Index == _schema.Features.Index)) inputColumns.Add(_schema.Features);
        var input = _source.GetRowCursor(inputColumns, rand);
        DataViewRowCursor? ahead = batched ? _source.GetRowCursor([_schema.Features]) : null;
        return new Cursor(this, input, ahead, scoresNeeded);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ScoredDataView _parent;
        private readonly DataViewRowCursor _input;
        private readonly DataViewRowCursor? _ahead;
        private readonly ValueGetter<VBuffer<float>>? _features;
        private readonly ScoreBuffer? _scores;
        private readonly bool _scoresActive;
        private long _aheadPosition = -1;
        private VBuffer<float> _row;

        internal Cursor(ScoredDataView parent, DataViewRowCursor input, DataViewRowCursor? ahead, bool scoresActive)
        {
            _parent = parent; _input = input; _ahead = ahead; _scoresActive = scoresActive;
            if (!scoresActive) return;
            var features = parent._schema.Features;
            _features = ahead is not null ? ahead.GetGetter<VBuffer<float>>(ahead.Schema[features.Index]) : input.GetGetter<VBuffer<float>>(input.Schema[features.Index]);
            _scores = new ScoreBuffer(parent._runner, ahead is not null ? parent._batchSize : 1, () => _input.Position, Fill);
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
        public override bool MoveNext() => _input.MoveNext();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < _parent._schema.Input.Count ? _input.IsColumnActive(_input.Schema[column.Index]) : _scoresActive;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < _parent._schema.Input.Count) return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            if (_scores is null) throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            return _scores.Getter(column.Index, _parent._schema) as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is of type {column.Type}, not {typeof(TValue).Name}.");
        }

        private void Fill(long position)
        {
            var scores = _scores!;
            int size = scores.ImageSize;
            var name = _parent._schema.Features.Name;
            if (_ahead is null)
            {
                _features!(ref _row);
                FeatureColumn.CopyTo(_row, scores.Images.AsSpan(0, size), name);
                scores.Score(position, 1);
                return;
            }
            while (_aheadPosition < position)
            {
                if (!_ahead.MoveNext()) throw new InvalidOperationException("The data gave fewer rows to the scoring read-ahead than to the cursor.");
                _aheadPosition++;
            }
            int count = 0;
            int capacity = scores.Images.Length / size;
            while (true)
            {
                _features!(ref _row);
                FeatureColumn.CopyTo(_row, scores.Images.AsSpan(count * size, size), name);
                count++;
                if (count == capacity || !_ahead.MoveNext()) break;
                _aheadPosition++;
            }
            scores.Score(position, count);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) { _input.Dispose(); _ahead?.Dispose(); }
            base.Dispose(disposing);
        }
    }
}
