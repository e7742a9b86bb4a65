using Microsoft.ML;
using PixMix.MLNet.Models;
using PixMix.MLNet.Training;
using PixMix.MLNet.TorchSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace PixMix.MLNet.Tests.Training;

/// <summary>Mixed precision (LibTorch autocast), loss scaling and channels-last, on the CPU.</summary>
public class PrecisionAndMemoryFormatTests
{
    public PrecisionAndMemoryFormatTests() => TorchTestSettings.UseOneThread();

    private static readonly ImageModelSpec Spec = new(ModelArchitecture.WideResNet, 10, 1, 0, 4, 3, 16, 16);

    private static Tensor Input(int count, int seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        return randn([count, 3, 16, 16], generator: generator);
    }

    [Fact]
    public void ChannelsLastGivesTheSameLogitsAsContiguous()
    {
        using var generator = new Generator(3, CPU);
        var network = Spec.CreateModule(generator);
        network.eval();
        using var input = Input(8, 1);
        using var noGrad = no_grad();
        using var expected = network.forward(input);

        MemoryFormat.Convert(network, channelsLast: true);
        var convolutionWeights = network.parameters().Where(p => p.dim() == 4).ToList();
        Assert.NotEmpty(convolutionWeights);
        Assert.All(convolutionWeights, p => Assert.True(MemoryFormat.IsChannelsLast(p), "a convolution weight is not channels-last"));
        using var channelsLastInput = MemoryFormat.ToChannelsLast(input);
        Assert.True(MemoryFormat.IsChannelsLast(channelsLastInput));
        Assert.False(channelsLastInput.is_contiguous());
        Assert.Equal(input.data<float>().ToArray(), channelsLastInput.contiguous().data<float>().ToArray());
        using var actual = network.forward(channelsLastInput);
        Assert.True(allclose(expected, actual, rtol: 1e-4, atol: 1e-5), $"largest difference {(expected - actual).abs().max().item<float>()}");

        MemoryFormat.Convert(network, channelsLast: false);
        Assert.All(convolutionWeights, p => Assert.True(p.is_contiguous()));
        using var back = network.forward(input);
        Assert.True(allclose(expected, back, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Bf16AutocastOnCpuRunsTheForwardPassInBf16AndRestoresTheState()
    {
        Assert.True(Autocast.IsAvailable, Autocast.UnavailableReason);
        using var generator = new Generator(4, CPU);
        var network = Spec.CreateModule(generator);
        network.eval();
        using var input = Input(8, 2);
        using var noGrad = no_grad();
        using var expected = network.forward(input);
        Assert.Equal(ScalarType.Float32, expected.dtype);

        Tensor mixed;
        Assert.False(Autocast.IsEnabledFor(DeviceType.CPU));
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
        {
            Assert.True(Autocast.IsEnabledFor(DeviceType.CPU));
            mixed = network.forward(input);
            // Autocast, not a cast of the weights: the weights stay float32 and the linear layer's output is bfloat16.
            Assert.Equal(ScalarType.BFloat16, mixed.dtype);
            Assert.All(network.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        }
        Assert.False(Autocast.IsEnabledFor(DeviceType.CPU));
        using var after = network.forward(input);
        Assert.Equal(ScalarType.Float32, after.dtype);
        using var mixed32 = mixed.to(ScalarType.Float32);
        // bfloat16 keeps 8 significant bits: close, not equal.
        double scale = expected.abs().max().item<float>();
        double difference = (expected - mixed32).abs().max().item<float>();
        Assert.True(difference <= 0.05 * scale + 0.02, $"bf16 logits differ by {difference} (logit scale {scale})");
        Assert.True(difference > 0, "bf16 gave exactly the float32 logits: autocast did not act");
        mixed.Dispose();
    }

    [Fact]
    public void TrainerInBf16WithChannelsLastTrainsOnCpuAndKeepsAFloat32ContiguousModel()
    {
        var context = new MLContext(seed: 1);
        var data = TrainingTestData.WithKeyLabel(context, TrainingTestData.View(context, TrainingTestData.Synthetic(64, 3, 8, 8, 2, seed: 6), 3, 8, 8));
        var options = new ImageClassifierOptions
        {
            Architecture = ModelArchitecture.SmallCnn, Epochs = 3, BatchSize = 16, LearningRate = 0.05, Device = TrainingDevice.Cpu,
            TorchThreads = 1, DataThreads = 1, Precision = TrainingPrecision.Bf16, ChannelsLast = true,
        };
        using var model = new ImageClassificationTrainer(context, options).Fit(data);
        var summary = model.TrainingSummary!;
        Assert.Equal(TrainingPrecision.Bf16, summary.Precision);
        Assert.True(summary.ChannelsLast);
        Assert.Null(summary.PeakGpuMemoryBytes);
        Assert.StartsWith("cpu", summary.DeviceName);
        Assert.All(summary.History, e => Assert.True(double.IsFinite(e.Loss)));
        Assert.True(summary.History[^1].Loss < summary.History[0].Loss, $"loss {summary.History[0].Loss} -> {summary.History[^1].Loss}");
        Assert.All(model.Network.parameters(), p =>
        {
            Assert.Equal(ScalarType.Float32, p.dtype);
            Assert.True(p.is_contiguous());
        });
    }

    [Fact]
    public void Fp16OnTheCpuIsRejectedNamingTheOption()
    {
        var options = new ImageClassifierOptions { Device = TrainingDevice.Cpu, Precision = TrainingPrecision.Fp16 };
        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(nameof(ImageClassifierOptions.Precision), error.ParamName);
        Assert.Contains("Bf16", error.Message);
        if (cuda.is_available()) return; // Auto resolves to the CPU only without CUDA
        var context = new MLContext(seed: 1);
        var data = TrainingTestData.WithKeyLabel(context, TrainingTestData.View(context, TrainingTestData.Synthetic(8, 1, 8, 8, 2, seed: 1), 1, 8, 8));
        var auto = new ImageClassifierOptions { Architecture = ModelArchitecture.SmallCnn, Epochs = 1, Device = TrainingDevice.Auto, Precision = TrainingPrecision.Fp16 };
        var fitError = Assert.Throws<ArgumentOutOfRangeException>(() => new ImageClassificationTrainer(context, auto).Fit(data));
        Assert.Equal(nameof(ImageClassifierOptions.Precision), fitError.ParamName);
    }

    [Fact]
    public void GradientScalerSkipsNonFiniteStepsAndAdaptsTheScale()
    {
        var scaler = new GradientScaler(initialScale: 8, growthInterval: 2);
        using var p = zeros(3).requires_grad_(true);
        using var loss = (p * tensor(new float[] { 1, 2, 3 })).sum();
        scaler.ScaleLoss(loss).backward();
        using (var finite = scaler.UnscaleAndCheck([p.grad!], CPU)) Assert.True(finite.item<bool>());
        Assert.Equal(new float[] { 1, 2, 3 }, p.grad!.data<float>().ToArray()); // unscaled
        Assert.True(scaler.Update(true));
        Assert.Equal(1, scaler.GoodSteps);
        Assert.True(scaler.Update(true));
        Assert.Equal(16, scaler.Scale);
        Assert.Equal(0, scaler.GoodSteps);

        using (no_grad()) p.grad!.fill_(float.PositiveInfinity);
        using (var finite = scaler.UnscaleAndCheck([p.grad!], CPU)) Assert.False(finite.item<bool>());
        Assert.True(scaler.Update(false));
        Assert.Equal(8, scaler.Scale);
        Assert.Equal(1, scaler.SkippedSteps);

        // No gradient at all: finite, on the device asked for.
        using (var none = scaler.UnscaleAndCheck([], CPU)) Assert.True(none.item<bool>());
    }

    [Fact]
    public void CudnnBenchmarkModeIsSetInLibTorchAndRestored()
    {
        // LibTorch's global flag is there on the CPU too (it only matters to cuDNN).
        Assert.True(CudnnBenchmark.IsAvailable, CudnnBenchmark.UnavailableReason);
        bool original = CudnnBenchmark.Enabled;
        try
        {
            CudnnBenchmark.Enabled = false;
            using (CudnnBenchmark.Use(true)) Assert.True(CudnnBenchmark.Enabled);
            Assert.False(CudnnBenchmark.Enabled);
            using (CudnnBenchmark.Use(false)) Assert.False(CudnnBenchmark.Enabled);
            CudnnBenchmark.Enabled = true;
            Assert.True(CudnnBenchmark.Enabled);
        }
        finally { CudnnBenchmark.Enabled = original; }
    }

    [Fact]
    public void GradientScalerReportsDivergenceWhenTheScaleFallsBelowOne()
    {
        var scaler = new GradientScaler(initialScale: 4);
        Assert.True(scaler.Update(false)); // 2
        Assert.True(scaler.Update(false)); // 1: gradients were not finite at scale 2, might be at 1
        Assert.False(scaler.Update(false)); // 0.5: not finite even unscaled
        Assert.Equal(3, scaler.SkippedInARow);
        Assert.True(scaler.Update(true));
        Assert.Equal(0, scaler.SkippedInARow);
    }

    [Fact]
    public void GradientScalerResumesWithItsScaleAndGoodSteps()
    {
        var scaler = new GradientScaler(initialScale: 1024, growthInterval: 3, goodSteps: 2);
        Assert.True(scaler.Update(true)); // the third good step in a row doubles the scale
        Assert.Equal(2048, scaler.Scale);
    }
}
