namespace PixMix.MLNet.Scoring;

/// <summary>
/// The scores of one batch of rows, with the getters of the Score and PredictedLabel columns (<see cref="IAppendedValues"/>).
/// A getter read at a row outside the batch scores the next batch from that row: read ahead through a second cursor
/// (<c>ahead</c>, batches of <c>batchSize</c>), or the row alone from the input's own features.
/// </summary>
internal sealed class ScoreBuffer : IAppendedValues
{
    private readonly ImageModelSpec _spec;
    private readonly IImageClassifierEngine _engine;
    private readonly ScoringSchema _schema;
    private readonly DataViewRow _input;
    private readonly DataViewRowCursor? _ahead;
    private readonly ValueGetter<VBuffer<float>> _features;
    private readonly float[] _images;
    private readonly float[] _probabilities;
    private long _aheadPosition = -1;
    private long _batchStart = -1;
    private int _batchCount;
    private VBuffer<float> _row;

    internal ScoreBuffer(ImageModelSpec spec, IImageClassifierEngine engine, ScoringSchema schema, DataViewRow input, DataViewRowCursor? ahead, int batchSize)
    {
        _spec = spec; _engine = engine; _schema = schema; _input = input; _ahead = ahead;
        var features = schema.Features;
        _features = ahead is not null ? ahead.GetGetter<VBuffer<float>>(ahead.Schema[features.Index]) : input.GetGetter<VBuffer<float>>(input.Schema[features.Index]);
        int capacity = ahead is not null ? batchSize : 1;
        _images = new float[capacity * spec.ImageSize];
        _probabilities = new float[capacity * spec.Classes];
    }

    private int Classes => _spec.Classes;

    /// <inheritdoc />
    public Delegate Getter(DataViewSchema.Column column) => column.Index == _schema.ScoreIndex ? ScoreGetter() : PredictedLabelGetter();

    private ValueGetter<VBuffer<float>> ScoreGetter() => (ref VBuffer<float> destination) =>
    {
        int offset = Offset();
        var editor = VBufferEditor.Create(ref destination, Classes);
        _probabilities.AsSpan(offset, Classes).CopyTo(editor.Values);
        destination = editor.Commit();
    };

    private ValueGetter<uint> PredictedLabelGetter() => (ref uint destination) =>
    {
        int offset = Offset();
        var scores = _probabilities.AsSpan(offset, Classes);
        destination = (uint)ClassProbabilities.PredictedClass(scores) + 1;
    };

    private int Offset()
    {
        long position = _input.Position;
        if (position < 0) throw new InvalidOperationException("The cursor is not on a row.");
        if (position < _batchStart || position >= _batchStart + _batchCount) Fill(position);
        return (int)(position - _batchStart) * Classes;
    }

    // Scores the batch that starts at the input's row at position.
    private void Fill(long position)
    {
        int size = _spec.ImageSize;
        var name = _schema.Features.Name;
        int count = 0;
        if (_ahead is null)
        {
            _features(ref _row);
            FeatureColumn.CopyTo(_row, _images.AsSpan(0, size), name);
            count = 1;
        }
        else
        {
            while (_aheadPosition < position)
            {
                if (!_ahead.MoveNext()) throw new InvalidOperationException("The data gave fewer rows to the scoring read-ahead than to the cursor.");
                _aheadPosition++;
            }
            int capacity = _images.Length / size;
            while (true)
            {
                _features(ref _row);
                FeatureColumn.CopyTo(_row, _images.AsSpan(count * size, size), name);
                count++;
                if (count == capacity || !_ahead.MoveNext()) break;
                _aheadPosition++;
            }
        }
        _engine.Probabilities(_images.AsSpan(0, count * size), count, _probabilities);
        _batchStart = position; _batchCount = count;
    }

    /// <inheritdoc />
    public void Dispose() => _ahead?.Dispose();
}
