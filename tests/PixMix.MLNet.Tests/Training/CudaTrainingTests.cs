using PixMix.MLNet.Training;
using Xunit.Abstractions;

namespace PixMix.MLNet.Tests.Training;

/// <summary>The trainer on a CUDA device (skipped without one). The bodies are <see cref="CudaChecks"/>, which <c>pixmix selftest cuda</c> also runs.</summary>
public class CudaTrainingTests(ITestOutputHelper output)
{
    [CudaFact]
    public void TrainingStepOnCudaReducesTheLoss() => output.WriteLine(CudaChecks.TrainingReducesLoss(TrainingPrecision.Fp32, channelsLast: false));

    [CudaFact]
    public void TrainingOnCudaInBf16ChannelsLastReducesTheLoss() => output.WriteLine(CudaChecks.TrainingReducesLoss(TrainingPrecision.Bf16, channelsLast: true));

    [CudaFact]
    public void TrainingOnCudaInFp16WithLossScalingReducesTheLoss() => output.WriteLine(CudaChecks.TrainingReducesLoss(TrainingPrecision.Fp16, channelsLast: false));

    [CudaFact]
    public void CudaPredictionsMatchCpuForTheSameWeights() => output.WriteLine(CudaChecks.CudaMatchesCpu());

    [CudaFact]
    public void ModelTrainedOnCudaSavesAndPredictsOnCpu() => output.WriteLine(CudaChecks.SaveOnCudaLoadOnCpu());

    [CudaFact]
    public void DeviceAutoPicksCuda() => output.WriteLine(CudaChecks.AutoPicksCuda());
}
