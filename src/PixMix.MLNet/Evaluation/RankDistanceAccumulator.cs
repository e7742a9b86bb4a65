namespace PixMix.MLNet.Evaluation;

/// <summary>
/// Streams the class scores of perturbation frames, in order, one sequence buffered at a time, and averages the rank
/// distances (<see cref="FlipRate.RankDistanceOfSequence"/>) over the sequences: the top-5 distance when there are more
/// than five classes, and the Zipf distance.
/// </summary>
internal sealed class RankDistanceAccumulator
{
    private readonly int _classes;
    private readonly int _frames;
    private readonly bool _isNoise;
    private readonly int _difficulty;
    private readonly float[] _sequence;
    private int _filled;
    private int _sequences;
    private double _top5, _zipf;

    public RankDistanceAccumulator(int classCount, int framesPerSequence, bool isNoise, int difficulty)
    {
        _classes = classCount; _frames = framesPerSequence; _isNoise = isNoise; _difficulty = difficulty;
        _sequence = new float[checked(classCount * framesPerSequence)];
    }

    /// <summary>Adds the scores of the next frame.</summary>
    public void Add(ReadOnlySpan<float> scores)
    {
        if (scores.Length != _classes) throw new ArgumentException($"Expected {_classes} class scores, got {scores.Length}.", nameof(scores));
        scores.CopyTo(_sequence.AsSpan(_filled * _classes));
        if (++_filled < _frames) return;
        _filled = 0;
        _sequences++;
        if (FlipRate.IsDefined(RankDistance.Top5, _classes)) _top5 += FlipRate.RankDistanceOfSequence(_sequence, _classes, _isNoise, RankDistance.Top5, _difficulty);
        if (FlipRate.IsDefined(RankDistance.Zipf, _classes)) _zipf += FlipRate.RankDistanceOfSequence(_sequence, _classes, _isNoise, RankDistance.Zipf, _difficulty);
    }

    /// <summary>The mean top-5 distance over the complete sequences; null when undefined or none was seen.</summary>
    public double? Top5 => _sequences > 0 && FlipRate.IsDefined(RankDistance.Top5, _classes) ? _top5 / _sequences : null;
    /// <summary>The mean Zipf distance over the complete sequences; null when undefined or none was seen.</summary>
    public double? Zipf => _sequences > 0 && FlipRate.IsDefined(RankDistance.Zipf, _classes) ? _zipf / _sequences : null;
}
