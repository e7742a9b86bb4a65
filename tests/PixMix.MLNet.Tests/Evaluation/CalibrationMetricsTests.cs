using PixMix.MLNet.Evaluation;

namespace PixMix.MLNet.Tests.Evaluation;

public class CalibrationMetricsTests
{
    // 250 examples. Sorted by confidence they form two adaptive bins of size 100: [0, 100) and [100, 250) (the last
    // bin takes the remainder).
    //   Bin 1: confidences 0.2 + 0.002 i (i = 0..99): mean 0.2 + 0.002 * 49.5 = 0.299; 20 correct: accuracy 0.2; gap 0.099.
    //   Bin 2: confidences 0.7 + 0.001 i (i = 0..149): mean 0.7 + 0.001 * 74.5 = 0.7745; 90 correct: accuracy 0.6; gap 0.1745.
    // Stored in a shuffled order (position = 7 * k mod 250) so that the sort matters.
    private static (float[] Confidence, bool[] Correct) Build250()
    {
        var conf = new float[250];
        var correct = new bool[250];
        for (int k = 0; k < 250; k++)
        {
            int pos = 7 * k % 250;
            if (k < 100) { conf[pos] = 0.2f + 0.002f * k; correct[pos] = k % 5 == 0; }           // 20 correct
            else { int i = k - 100; conf[pos] = 0.7f + 0.001f * i; correct[pos] = i % 5 < 3; } // 90 correct
        }
        return (conf, correct);
    }

    [Fact]
    public void RmsWithAllBinsWeighsEachBinBySize()
    {
        var (conf, correct) = Build250();
        // sqrt(100/250 * 0.099^2 + 150/250 * 0.1745^2) = sqrt(0.0039204 + 0.01827015) = sqrt(0.02219055)
        double expected = Math.Sqrt(0.4 * 0.099 * 0.099 + 0.6 * 0.1745 * 0.1745);
        Assert.Equal(expected, CalibrationMetrics.RmsCalibrationError(conf, correct, 100, CalibrationBinning.AllBins), 5);
    }

    [Fact]
    public void RmsAsReferenceSkipsTheLastBinButDividesByAllExamples()
    {
        var (conf, correct) = Build250();
        // sqrt(100/250 * 0.099^2) = sqrt(0.0039204)
        Assert.Equal(Math.Sqrt(0.4 * 0.099 * 0.099), CalibrationMetrics.RmsCalibrationError(conf, correct), 5);
        // MAD over the same bin: 0.4 * 0.099.
        Assert.Equal(0.4 * 0.099, CalibrationMetrics.MadCalibrationError(conf, correct), 5);
    }

    [Fact]
    public void MatchesTheReferenceCalibErrOnARemainderBin()
    {
        // 257 distinct confidences frac(0.618... i) (as float32), correct when 7i % 3 == 0. Expected values from a
        // numpy evaluation of the reference's calib_err (bins [0,100), [100,257), the last one not summed; and with
        // beta = 50: five bins, the last [200, 257)).
        int n = 257;
        var conf = new float[n];
        var correct = new bool[n];
        for (int i = 0; i < n; i++) { conf[i] = (float)(i * 0.6180339887498949 % 1.0); correct[i] = i * 7 % 3 == 0; }
        Assert.Equal(0.08026913952493103, CalibrationMetrics.RmsCalibrationError(conf, correct), 6);
        Assert.Equal(0.050070513547162604, CalibrationMetrics.MadCalibrationError(conf, correct), 6);
        Assert.Equal(0.19060113642219895, CalibrationMetrics.RmsCalibrationError(conf, correct, 50), 6);
    }

    [Fact]
    public void FewerExamplesThanABinUseOneBin()
    {
        // 4 examples, confidence 0.9, 2 correct: one bin, gap 0.4, in both modes.
        float[] conf = [0.9f, 0.9f, 0.9f, 0.9f];
        bool[] correct = [true, false, true, false];
        Assert.Equal(0.4, CalibrationMetrics.RmsCalibrationError(conf, correct), 5);
        Assert.Equal(0.4, CalibrationMetrics.RmsCalibrationError(conf, correct, 100, CalibrationBinning.AllBins), 5);
    }

    [Fact]
    public void EceAndReliabilityBins()
    {
        // 10 bins. 0.15 (wrong) -> (0.1,0.2]: gap 0.15; 0.25 (right) -> (0.2,0.3]: gap 0.75;
        // 0.95 (right), 0.92 (wrong) -> (0.9,1]: mean 0.935, accuracy 0.5, gap 0.435.
        // ECE = 1/4 * 0.15 + 1/4 * 0.75 + 2/4 * 0.435 = 0.4425.
        float[] conf = [0.15f, 0.25f, 0.95f, 0.92f];
        bool[] correct = [false, true, true, false];
        Assert.Equal(0.4425, CalibrationMetrics.ExpectedCalibrationError(conf, correct, 10), 5);
        var bins = CalibrationMetrics.ReliabilityDiagram(conf, correct, 10);
        Assert.Equal(10, bins.Count);
        Assert.Equal(2, bins[9].Count);
        Assert.Equal(0.935, bins[9].MeanConfidence, 5);
        Assert.Equal(0.5, bins[9].Accuracy, 12);
        Assert.Equal(0.9, bins[9].Lower, 12);
        Assert.Equal(1, bins[1].Count);
        Assert.Equal(0, bins[5].Count);
    }

    [Fact]
    public void MismatchedOrInvalidInputsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => CalibrationMetrics.RmsCalibrationError([0.5f], [true, false]));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationMetrics.RmsCalibrationError([1.5f], [true]));
        Assert.Contains("confidence", e.Message);
    }
}
