using Microsoft.ML;
using Microsoft.ML.Data;

namespace PixMix.MLNet.Training;

/// <summary>Scores one row at a time (for <c>PredictionEngine</c>): the input columns plus Score and PredictedLabel.</summary>
internal sealed class ImageClassifierRowMapper : IRowToRowMapper
{
    private readonly ScoringSchema _schema;
    private readonly NetworkRunner _runner;

    internal ImageClassifierRowMapper(ScoringSchema schema, NetworkRunner runner)
    {
        _schema = schema; _runner = runner;
    }

    public DataViewSchema InputSchema => _schema.Input;
    public DataViewSchema OutputSchema => _schema.Output;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var (inputColumns, scoresNeeded) = _schema.Split(dependingColumns);
        if (scoresNeeded && !inputColumns.Any(c => c.Index == _schema.Features.Index)) inputColumns.Add(_schema.Features);
        return inputColumns;
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        var (_, scoresNeeded) = _schema.Split(activeColumns);
        return new Row(_schema, _runner, input, scoresNeeded);
    }

    private sealed class Row : DataViewRow
    {
        private readonly ScoringSchema _schema;
        private readonly DataViewRow _input;
        private readonly ScoreBuffer? _scores;
        private readonly ValueGetter<VBuffer<float>>? _features;
        private VBuffer<float> _row;

        internal Row(ScoringSchema schema, NetworkRunner runner, DataViewRow input, bool scoresNeeded)
        {
            _schema = schema; _input = input;
            if (!scoresNeeded) return;
            _features = input.GetGetter<VBuffer<float>>(input.Schema[schema.Features.Index]);
            _scores = new ScoreBuffer(runner, 1, () => _input.Position, Fill);
        }

        public override DataViewSchema Schema => _schema.Output;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < _schema.Input.Count ? _input.IsColumnActive(_input.Schema[column.Index]) : _scores is not null;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < _schema.Input.Count) return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            if (_scores is null) throw new InvalidOperationException($"Column '{column.Name}' was not requested.");
            return _scores.Getter(column.Index, _schema) as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is of type {column.Type}, not {typeof(TValue).Name}.");
        }

        private void Fill(long position)
        {
            _features!(ref _row);
            FeatureColumn.CopyTo(_row, _scores!.Images.AsSpan(0, _scores.ImageSize), _schema.Features.Name);
            _scores.Score(position, 1);
        }
    }
}
