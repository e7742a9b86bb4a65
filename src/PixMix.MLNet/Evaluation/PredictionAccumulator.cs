namespace PixMix.MLNet.Evaluation;

/// <summary>
/// Collects what the safety metrics need from a stream of per-example (label, class probabilities), without keeping
/// the images or the probability vectors: per example, the confidence (maximum softmax probability), whether the
/// prediction is correct, and the predicted class. Memory: 9 bytes per example.
/// </summary>
public sealed class PredictionAccumulator
{
    private float[] _confidence;
    private bool[] _correct;
    private int[] _predicted;
    private int _count;
    private int _labelled;
    private int _errors;

    /// <summary>Creates an empty accumulator for <paramref name="classCount"/> classes.</summary>
    /// <param name="classCount">Length of every probability vector.</param>
    /// <param name="capacity">Expected number of examples (the arrays grow as needed).</param>
    /// <param name="confusion">Whether to count the confusion matrix (true class x predicted class; ClassCount^2 counters).</param>
    public PredictionAccumulator(int classCount, int capacity = 0, bool confusion = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1, nameof(classCount));
        ArgumentOutOfRangeException.ThrowIfNegative(capacity, nameof(capacity));
        ClassCount = classCount;
        _confidence = new float[Math.Max(capacity, 16)];
        _correct = new bool[_confidence.Length];
        _predicted = new int[_confidence.Length];
        if (confusion)
        {
            if ((long)classCount * classCount > MaxConfusionCells)
                throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"A confusion matrix of {classCount} classes has more than {MaxConfusionCells} cells.");
            _confusion = new long[classCount * classCount];
        }
    }

    /// <summary>The largest confusion matrix counted (ImageNet's 1000 classes fit).</summary>
    public const long MaxConfusionCells = 1L << 22;

    private readonly long[]? _confusion;

    /// <summary>
    /// The confusion matrix when counted: row t, column p holds how many labelled examples of class t were predicted as p
    /// (row-major, ClassCount x ClassCount); null otherwise.
    /// </summary>
    public ReadOnlySpan<long> Confusion => _confusion;

    /// <summary>Whether the confusion matrix is counted.</summary>
    public bool HasConfusion => _confusion is not null;

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }
    /// <summary>Number of examples added.</summary>
    public int Count => _count;
    /// <summary>Number of examples added with a known label.</summary>
    public int LabelledCount => _labelled;
    /// <summary>The confidence (maximum probability) of each example.</summary>
    public ReadOnlySpan<float> Confidences => _confidence.AsSpan(0, _count);
    /// <summary>Whether each example's prediction equals its label (false when the label is unknown).</summary>
    public ReadOnlySpan<bool> Correct => _correct.AsSpan(0, _count);
    /// <summary>The predicted class (arg-max, first on ties) of each example.</summary>
    public ReadOnlySpan<int> Predictions => _predicted.AsSpan(0, _count);

    /// <summary>Top-1 error over the labelled examples (NaN when none).</summary>
    public double Error => _labelled == 0 ? double.NaN : (double)_errors / _labelled;

    /// <summary>Adds one example.</summary>
    /// <param name="label">The true class, or -1 when unknown (out-of-distribution data).</param>
    /// <param name="probabilities">The class probabilities (length <see cref="ClassCount"/>, each in [0, 1]).</param>
    public void Add(int label, ReadOnlySpan<float> probabilities)
    {
        if (probabilities.Length != ClassCount)
            throw new ArgumentException($"Expected {ClassCount} class probabilities, got {probabilities.Length}.", nameof(probabilities));
        if (label < -1 || label >= ClassCount)
            throw new ArgumentOutOfRangeException(nameof(label), label, $"label must be -1 (unknown) or in [0, {ClassCount}).");
        int best = ClassProbabilities.PredictedClass(probabilities);
        float max = probabilities[best];
        if (!(max >= 0 && max <= 1.0001f))
            throw new ArgumentException($"The maximum class probability {max} is not in [0, 1]; the scores must be probabilities.", nameof(probabilities));
        if (_count == _confidence.Length) Grow();
        _confidence[_count] = Math.Min(max, 1f);
        _predicted[_count] = best;
        bool correct = label >= 0 && best == label;
        _correct[_count] = correct;
        _count++;
        if (label >= 0)
        {
            _labelled++;
            if (!correct) _errors++;
            if (_confusion is not null) _confusion[label * ClassCount + best]++;
        }
    }

    /// <summary>RMS calibration error of the examples added (see <see cref="CalibrationMetrics.RmsCalibrationError"/>).</summary>
    public double RmsCalibrationError(int binSize = CalibrationMetrics.DefaultBinSize, CalibrationBinning binning = CalibrationBinning.Reference)
        => CalibrationMetrics.RmsCalibrationError(Confidences, Correct, binSize, binning);

    private void Grow()
    {
        int size = _confidence.Length * 2;
        Array.Resize(ref _confidence, size);
        Array.Resize(ref _correct, size);
        Array.Resize(ref _predicted, size);
    }
}
