namespace PixMix.Cli.Benchmarks;

/// <summary>The result of <see cref="TrainingBenchmark.Run"/>: steady-state training throughput and the share of time spent waiting for data.</summary>
public sealed record TrainingBenchmarkResult(string Benchmark, string Architecture, int Depth, int Widen, string Device, bool PixMix, int BatchSize,
    int Images, int Epochs, int TorchThreads, double ImagesPerSecond, double DataWaitFraction, double FirstEpochSeconds, double MeasuredSeconds, string Data)
{
    /// <summary>The device's name (GPU model, or the CPU's).</summary>
    public string DeviceName { get; init; } = Device;
    /// <summary>The training precision.</summary>
    public TrainingPrecision Precision { get; init; }
    /// <summary>Whether the run trained in channels-last memory format.</summary>
    public bool ChannelsLast { get; init; }
    /// <summary>Data threads used.</summary>
    public int DataThreads { get; init; }
    /// <summary>On CUDA, the most device memory in use after any step; null on the CPU.</summary>
    public long? PeakGpuMemoryBytes { get; init; }
    /// <summary>Whether cuDNN's benchmark mode was on.</summary>
    public bool CudnnBenchmark { get; init; }
    /// <summary>Share of the measured time spent waiting for the device at the end of steps (see <see cref="TrainingSummary.DeviceWaitSeconds"/>).</summary>
    public double DeviceWaitFraction { get; init; }
}
