using PixMix.Cli.Benchmarks;
using PixMix.MLNet.Tests.Training;
using PixMix.TestSupport;

namespace PixMix.Cli.Tests;

/// <summary>pixmix bench score: TorchSharp and ONNX Runtime scoring the same networks on the same images.</summary>
public class BenchScoreCommandTests
{
    public BenchScoreCommandTests() => TorchTestSettings.UseOneThread();

    [Fact]
    public void BothEnginesAreTimedOnBothNetworksAndAgreeOnEveryImage()
    {
        var json = CliRunner.RunJson("bench", "score", "--batch-size", "8", "--warmup", "0", "--repetitions", "3", "--threads", "1", "--json");
        Assert.Equal("score", json.GetProperty("benchmark").GetString());
        Assert.Equal(8, json.GetProperty("batchSize").GetInt32());
        Assert.Equal(32, json.GetProperty("imageSize").GetInt32());
        Assert.Equal(1, json.GetProperty("threads").GetInt32());
        Assert.Equal(3, json.GetProperty("repetitions").GetInt32());
        Assert.StartsWith("cpu", json.GetProperty("device").GetString());
        Assert.Contains("Fashion-MNIST test images 0..7", json.GetProperty("data").GetString());
        Assert.Equal("1.32.0", json.GetProperty("onnxRuntimeVersion").GetString());
        Assert.Contains("IntraOpNumThreads 1", json.GetProperty("onnxRuntimeSession").GetString());

        var models = json.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["SmallCnn", "WideResNet-16-4"], models.Select(m => m.GetProperty("model").GetString()));
        // WideResNet-16-4 has 2.7 million parameters (Zagoruyko and Komodakis, table 1).
        Assert.InRange(models[1].GetProperty("parameters").GetInt64(), 2_700_000, 2_800_000);
        Assert.InRange(models[0].GetProperty("parameters").GetInt64(), 1, 1_000_000);
        foreach (var model in models)
        {
            foreach (var engine in new[] { "torchSharp", "onnxRuntime" })
            {
                var timing = model.GetProperty(engine);
                Assert.Equal(3, timing.GetProperty("seconds").GetArrayLength());
                double median = timing.GetProperty("medianSeconds").GetDouble();
                Assert.InRange(median, timing.GetProperty("minSeconds").GetDouble(), timing.GetProperty("maxSeconds").GetDouble());
                Assert.True(median > 0);
                Assert.True(timing.GetProperty("imagesPerSecond").GetDouble() > 0);
            }
            Assert.True(model.GetProperty("onnxRuntimeSpeedup").GetDouble() > 0);
            Assert.Equal(8, model.GetProperty("images").GetInt32());
            Assert.Equal(8, model.GetProperty("agreeingPredictions").GetInt32());
            Assert.Equal(1.0, model.GetProperty("agreement").GetDouble());
            Assert.InRange(model.GetProperty("maxAbsLogitDifference").GetDouble(), 0, 1e-4);
        }
    }

    [Fact]
    public void TextOutputNamesBothEnginesAndTheThreadCountIsGivenBack()
    {
        var (code, output, error) = CliRunner.Run("bench", "score", "--arch", "small-cnn", "--batch-size", "4", "--warmup", "1", "--repetitions", "1", "--threads", "2");
        Assert.True(code == 0, error);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("SmallCnn, batch 4, 32x32, 2 thread(s): TorchSharp ", line);
        Assert.Contains("ONNX Runtime ", line);
        Assert.Contains("same prediction on 4 of 4", line);
        // The run's thread count is the process's again afterwards.
        Assert.Equal(1, TorchSharp.torch.get_num_threads());
    }

    [Fact]
    public void AnotherWideResNetIsNamedByItsDepthAndWidth()
    {
        var json = CliRunner.RunJson("bench", "score", "--arch", "wrn", "--depth", "10", "--widen", "1", "--batch-size", "2", "--warmup", "0", "--repetitions", "1", "--threads", "1", "--json");
        var model = Assert.Single(json.GetProperty("models").EnumerateArray().ToList());
        Assert.Equal("WideResNet-10-1", model.GetProperty("model").GetString());
        Assert.Equal(2, model.GetProperty("agreeingPredictions").GetInt32());
    }

    [Theory]
    [InlineData("--batch-size", "0")]
    [InlineData("--batch-size", "4097")]
    [InlineData("--repetitions", "0")]
    [InlineData("--warmup", "-1")]
    [InlineData("--threads", "-1")]
    [InlineData("--arch", "resnet50")]
    [InlineData("--depth", "11")]
    [InlineData("--widen", "0")]
    [InlineData("--data", "/no/such/folder")]
    public void BadOptionsExitTwoNamingTheOption(string option, string value)
        => CliRunner.AssertBadInput(["bench", "score", option, value], option);

    [Fact]
    public void ADataFolderWithoutFashionMnistIsNamed()
    {
        using var dir = new TempFolder();
        CliRunner.AssertBadInput(["bench", "score", "--data", dir.Path, "--batch-size", "2", "--repetitions", "1"], dir.Path, "Fashion-MNIST");
    }

    [Fact]
    public void TheMedianOfAnOddAndAnEvenNumberOfRepetitions()
    {
        var odd = EngineTiming.From(256, [3.0, 1.0, 2.0]);
        Assert.Equal(2.0, odd.MedianSeconds);
        Assert.Equal(128.0, odd.ImagesPerSecond);
        Assert.Equal((1.0, 3.0), (odd.MinSeconds, odd.MaxSeconds));
        Assert.Equal([3.0, 1.0, 2.0], odd.Seconds);
        var even = EngineTiming.From(10, [4.0, 1.0, 2.0, 3.0]);
        Assert.Equal(2.5, even.MedianSeconds);
        Assert.Equal(4.0, even.ImagesPerSecond);
        Assert.Throws<ArgumentOutOfRangeException>(() => EngineTiming.From(10, []));
    }
}
