namespace PixMix.MLNet.Training;

/// <summary>The record of a training run (of the epochs run by this <c>Fit</c>; a resumed run lists only its own).</summary>
/// <param name="Device">The device trained on ("cpu" or "cuda").</param>
/// <param name="StartEpoch">The first epoch run (greater than 0 when resumed).</param>
/// <param name="Epochs">The epochs in the schedule.</param>
/// <param name="Steps">Optimisation steps done in total (including those before a resume).</param>
/// <param name="Images">Images trained on by this run.</param>
/// <param name="TrainingSeconds">Wall time of the training steps, data waits included, validation excluded.</param>
/// <param name="DataWaitSeconds">Time the training loop waited for batches.</param>
/// <param name="ComputeSeconds">Time in forward, backward and optimiser steps.</param>
/// <param name="History">One entry per epoch run.</param>
public sealed record TrainingSummary(string Device, int StartEpoch, int Epochs, long Steps, long Images,
    double TrainingSeconds, double DataWaitSeconds, double ComputeSeconds, IReadOnlyList<EpochSummary> History)
{
    /// <summary>The arithmetic precision trained in.</summary>
    public TrainingPrecision Precision { get; init; }

    /// <summary>Whether the run trained in channels-last memory format.</summary>
    public bool ChannelsLast { get; init; }

    /// <summary>Whether cuDNN's benchmark mode was on for the run (CUDA with <see cref="ImageClassifierOptions.CudnnBenchmark"/>).</summary>
    public bool CudnnBenchmark { get; init; }

    /// <summary>Data threads (readers that cursor and augment rows) used.</summary>
    public int DataThreads { get; init; }

    /// <summary>The device's name: the GPU's as the NVIDIA driver reports it, or the CPU's model; null for runs recorded before it was kept.</summary>
    public string? DeviceName { get; init; }

    /// <summary>
    /// On CUDA, the most device memory in use (total minus free, as <c>nvidia-smi</c> counts it: context plus the caching
    /// allocator's reservations) seen after any training step; null on the CPU or where the driver cannot say.
    /// </summary>
    public long? PeakGpuMemoryBytes { get; init; }

    /// <summary>Steps skipped by the float16 loss scaler because their gradients were not finite (0 otherwise).</summary>
    public long SkippedSteps { get; init; }

    /// <summary>
    /// Time the loop waited at the end of its steps for the step's loss to reach the host. On CUDA the host has queued the
    /// whole step (forward, backward, optimiser) by then, so this is the time the GPU still needed: a large share means the
    /// GPU limits the step, a share near 0 that queuing the work does. On the CPU it is near 0.
    /// </summary>
    public double DeviceWaitSeconds { get; init; }

    /// <summary>Fraction of the training time spent waiting for the device at the end of steps.</summary>
    public double DeviceWaitFraction => TrainingSeconds > 0 ? DeviceWaitSeconds / TrainingSeconds : 0;

    /// <summary>Training throughput in images per second.</summary>
    public double ImagesPerSecond => TrainingSeconds > 0 ? Images / TrainingSeconds : 0;

    /// <summary>Fraction of the training time spent waiting for data (0: the data pipeline kept up).</summary>
    public double DataWaitFraction => TrainingSeconds > 0 ? DataWaitSeconds / TrainingSeconds : 0;
}
