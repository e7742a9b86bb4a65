namespace PixMix.MLNet.Training;

/// <summary>Where the network is trained and evaluated.</summary>
public enum TrainingDevice
{
    /// <summary>CUDA when <c>torch.cuda.is_available()</c>, otherwise the CPU.</summary>
    Auto,
    /// <summary>The CPU.</summary>
    Cpu,
    /// <summary>The first CUDA GPU; needs TorchSharp's CUDA backend (build with <c>-p:TorchBackend=cuda</c>) and a GPU.</summary>
    Cuda,
}
