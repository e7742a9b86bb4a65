using Microsoft.ML;
using Microsoft.ML.Data;

namespace PixMix.MLNet.Training;

/// <summary>
/// The scores of the rows of one batch, with the getters of the Score and PredictedLabel columns. The batch is filled
/// by the owner (a cursor or a mapped row) on demand for a row position.
/// </summary>
internal sealed class ScoreBuffer
{
    private readonly NetworkRunner _runner;
    private readonly Func<long> _position;
    private readonly Action<long> _fill;
    internal readonly float[] Images;
    internal readonly float[] Probabilities;
    internal long BatchStart = -1;
    internal int BatchCount;

    internal ScoreBuffer(NetworkRunner runner, int batchSize, Func<long> position, Action<long> fill)
    {
        _runner = runner; _position = position; _fill = fill;
        Images = new float[batchSize * runner.Spec.ImageSize];
        Probabilities = new float[batchSize * runner.Spec.Classes];
    }

    internal int Classes => _runner.Spec.Classes;
    internal int ImageSize => _runner.Spec.ImageSize;

    /// <summary>Scores the first <paramref name="count"/> images of <see cref="Images"/> as the batch starting at <paramref name="start"/>.</summary>
    internal void Score(long start, int count)
    {
        _runner.Probabilities(Images, count, Probabilities);
        BatchStart = start; BatchCount = count;
    }

    private int Offset()
    {
        long position = _position();
        if (position < 0) throw new InvalidOperationException("The cursor is not on a row.");
        if (position < BatchStart || position >= BatchStart + BatchCount) _fill(position);
        return (int)(position - BatchStart) * Classes;
    }

    internal ValueGetter<VBuffer<float>> ScoreGetter() => (ref VBuffer<float> destination) =>
    {
        int offset = Offset();
        var editor = VBufferEditor.Create(ref destination, Classes);
        Probabilities.AsSpan(offset, Classes).CopyTo(editor.Values);
        destination = editor.Commit();
    };

    internal ValueGetter<uint> PredictedLabelGetter() => (ref uint destination) =>
    {
        int offset = Offset();
        var scores = Probabilities.AsSpan(offset, Classes);
        int best = 0;
        for (int i = 1; i < scores.Length; i++) if (scores[i] > scores[best]) best = i;
        destination = (uint)best + 1;
    };

    internal Delegate Getter(int outputIndex, ScoringSchema schema) =>
        outputIndex == schema.ScoreIndex ? ScoreGetter() : PredictedLabelGetter();
}
