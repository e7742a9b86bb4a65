using PixMix.MLNet.Evaluation;

namespace PixMix.MLNet.Tests.Evaluation;

public class CorruptionMetricsTests
{
    private static readonly Dictionary<string, double> Baseline = new() { ["a"] = 0.5, ["b"] = 0.8 };

    private static Dictionary<string, IReadOnlyList<double>> Table() => new()
    {
        ["a"] = [0.1, 0.2, 0.3], // mean 0.2
        ["b"] = [0.4, 0.4],      // mean 0.4
    };

    [Fact]
    public void AverageCorruptionErrorIsTheMeanOfAllCells()
        => Assert.Equal((0.1 + 0.2 + 0.3 + 0.4 + 0.4) / 5, CorruptionMetrics.AverageCorruptionError(Table()), 12);

    [Fact]
    public void MceNormalizesEachCorruptionByTheBaseline()
        // CE_a = 0.2 / 0.5 = 0.4, CE_b = 0.4 / 0.8 = 0.5: mCE = 100 * 0.45.
        => Assert.Equal(45.0, CorruptionMetrics.MeanCorruptionError(Table(), Baseline), 9);

    [Fact]
    public void RelativeMceSubtractsCleanErrors()
        // Model clean 0.1, baseline clean 0.3: (0.2 - 0.1) / (0.5 - 0.3) = 0.5, (0.4 - 0.1) / (0.8 - 0.3) = 0.6: 55.
        => Assert.Equal(55.0, CorruptionMetrics.RelativeMeanCorruptionError(Table(), 0.1, Baseline, 0.3), 9);

    [Fact]
    public void AlexNetTableIsBuiltInInBenchmarkOrder()
    {
        Assert.Equal(15, AlexNetBaseline.CorruptionNames.Count);
        Assert.Equal("gaussian_noise", AlexNetBaseline.CorruptionNames[0]);
        Assert.Equal("brightness", AlexNetBaseline.CorruptionNames[10]);
        Assert.Equal("jpeg_compression", AlexNetBaseline.CorruptionNames[14]);
        Assert.Equal(0.564592, AlexNetBaseline.CorruptionErrors["brightness"]);
        Assert.Equal(0.606500, AlexNetBaseline.CorruptionErrors["jpeg_compression"]);
        Assert.Null(AlexNetBaseline.TryGetError("speckle_noise"));
        // Half of AlexNet's gaussian-noise error at every severity: CE = 50.
        var table = new Dictionary<string, IReadOnlyList<double>> { ["gaussian_noise"] = Enumerable.Repeat(0.443214, 5).ToList() };
        Assert.Equal(50.0, CorruptionMetrics.MeanCorruptionError(table), 9);
        // Relative: (0.443214 - 0.2) / (0.886428 - 0.43478) * 100.
        Assert.Equal(100 * (0.443214 - 0.2) / (0.886428 - 0.43478), CorruptionMetrics.RelativeMeanCorruptionError(table, 0.2), 9);
    }

    [Fact]
    public void CorruptionWithoutBaselineIsAClearError()
    {
        var table = new Dictionary<string, IReadOnlyList<double>> { ["speckle_noise"] = [0.3] };
        var e = Assert.Throws<ArgumentException>(() => CorruptionMetrics.MeanCorruptionError(table));
        Assert.Contains("speckle_noise", e.Message);
        Assert.Contains("gaussian_noise", e.Message);
    }

    [Fact]
    public void ErrorsOutsideZeroOneAreRejected()
    {
        var table = new Dictionary<string, IReadOnlyList<double>> { ["a"] = [1.5] };
        Assert.Throws<ArgumentOutOfRangeException>(() => CorruptionMetrics.AverageCorruptionError(table));
    }
}
