using PixMix.Cli.SelfTest;
using PixMix.MLNet.Tests.Training;
using PixMix.MLNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PixMix.Cli.Tests.SelfTest;

/// <summary>
/// The trainer on a CUDA device (skipped without one), through the measurements <c>pixmix selftest cuda</c> makes on GPU
/// machines without the SDK; and those measurements on the CPU, so that a mistake in them shows before GPU time is spent.
/// </summary>
public class CudaChecksTests
{
    public CudaChecksTests() => TorchTestSettings.UseOneThread();

    private static void AssertTrainingReducedTheLoss(CudaChecks.TrainingOutcome outcome, string device)
    {
        Assert.Equal(device, outcome.Device);
        Assert.Equal(4, outcome.Epochs);
        Assert.True(double.IsFinite(outcome.LastLoss) && outcome.LastLoss < outcome.FirstLoss * 0.8,
            $"the mean loss went from {outcome.FirstLoss:G4} to {outcome.LastLoss:G4}, not down by 20%");
        Assert.True(outcome.WeightsOnDeviceInFloat32, $"the trained weights are not float32 on {device}");
    }

    [CudaFact]
    public void TrainingStepOnCudaReducesTheLoss() => AssertTrainingReducedTheLoss(CudaChecks.Train(TrainingPrecision.Fp32, false, CUDA), "cuda");

    [CudaFact]
    public void TrainingOnCudaInBf16ChannelsLastReducesTheLoss() => AssertTrainingReducedTheLoss(CudaChecks.Train(TrainingPrecision.Bf16, true, CUDA), "cuda");

    [CudaFact]
    public void TrainingOnCudaInFp16WithLossScalingReducesTheLoss()
    {
        var outcome = CudaChecks.Train(TrainingPrecision.Fp16, false, CUDA);
        AssertTrainingReducedTheLoss(outcome, "cuda");
        Assert.NotNull(outcome.Summary.PeakGpuMemoryBytes);
    }

    [CudaFact]
    public void CudaPredictionsMatchCpuForTheSameWeights() => Assert.InRange(CudaChecks.LogitDifference(CUDA), 0, 1e-3);

    [CudaFact]
    public void ModelTrainedOnCudaSavesAndPredictsOnCpu()
    {
        var outcome = CudaChecks.SaveAndLoadOnCpu(CUDA);
        Assert.Equal("cuda", outcome.TrainedOn);
        Assert.True(outcome.LoadedOnCpu);
        Assert.InRange(outcome.LogitDifference, 0, 1e-3);
    }

    [CudaFact]
    public void DeviceAutoPicksCuda()
    {
        var (resolved, summary) = CudaChecks.Auto();
        Assert.Equal(DeviceType.CUDA, resolved);
        Assert.Equal("cuda", summary.Device);
    }

    [Fact]
    public void OnTheCpu_TheTrainingMeasurementSeesTheLossFall()
    {
        var outcome = CudaChecks.Train(TrainingPrecision.Fp32, false, CPU);
        AssertTrainingReducedTheLoss(outcome, "cpu");
        Assert.Null(outcome.Summary.PeakGpuMemoryBytes);
    }

    [Fact]
    public void OnTheCpu_TheSameWeightsGiveTheSameLogitsAndASavedModelPredictsAsTrained()
    {
        Assert.Equal(0, CudaChecks.LogitDifference(CPU));
        var outcome = CudaChecks.SaveAndLoadOnCpu(CPU);
        Assert.Equal("cpu", outcome.TrainedOn);
        Assert.True(outcome.LoadedOnCpu);
        Assert.Equal(0, outcome.LogitDifference);
    }
}
