using PixMix.MLNet.Evaluation;

namespace PixMix.MLNet.Tests.Evaluation;

public class PredictionAccumulatorTests
{
    [Fact]
    public void KeepsConfidenceCorrectnessAndPrediction()
    {
        var acc = new PredictionAccumulator(3, capacity: 1);
        acc.Add(0, [0.7f, 0.2f, 0.1f]);  // correct, conf 0.7
        acc.Add(2, [0.1f, 0.6f, 0.3f]);  // wrong (predicts 1), conf 0.6
        acc.Add(1, [0.2f, 0.4f, 0.4f]);  // tie -> first max (1): correct, conf 0.4
        acc.Add(-1, [0.0f, 0.0f, 1.0f]); // unlabelled
        Assert.Equal(4, acc.Count);
        Assert.Equal(3, acc.LabelledCount);
        Assert.Equal(1.0 / 3.0, acc.Error, 12);
        Assert.Equal([0.7f, 0.6f, 0.4f, 1.0f], acc.Confidences.ToArray());
        Assert.Equal([true, false, true, false], acc.Correct.ToArray());
        Assert.Equal([0, 1, 1, 2], acc.Predictions.ToArray());
    }

    [Fact]
    public void RejectsWrongLengthsAndNonProbabilities()
    {
        var acc = new PredictionAccumulator(2);
        Assert.Throws<ArgumentException>(() => acc.Add(0, [1f, 0f, 0f]));
        var e = Assert.Throws<ArgumentException>(() => acc.Add(0, [3f, 1f]));
        Assert.Contains("probabilit", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => acc.Add(2, [0.5f, 0.5f]));
    }
}
