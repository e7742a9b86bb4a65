namespace PixMix.MLNet.Training;

/// <summary>Turns a <see cref="TrainingDevice"/> into a torch device, checking that CUDA is usable when asked for.</summary>
internal static class DeviceSelection
{
    internal static Device Resolve(TrainingDevice device)
    {
        TorchBackend.Require();
        switch (device)
        {
            case TrainingDevice.Cpu:
                return CPU;
            case TrainingDevice.Auto:
                return cuda.is_available() ? CUDA : CPU;
            case TrainingDevice.Cuda:
                if (!cuda.is_available())
                    throw new NotSupportedException(
                        "CUDA was asked for (ImageClassifierOptions.Device = Cuda, --device cuda), but torch.cuda.is_available() is false: this process has no usable CUDA " +
                        "device. Build with the CUDA backend (dotnet build -p:TorchBackend=cuda, packages TorchSharp-cuda-linux or " +
                        "TorchSharp-cuda-windows) and run on a machine with an NVIDIA GPU and driver, or use Device = Cpu or Auto.");
                return CUDA;
            default:
                throw new ArgumentOutOfRangeException(nameof(device), device, "Device must be Auto, Cpu or Cuda.");
        }
    }
}
