namespace PixMix.MLNet.Training;

/// <summary>One epoch of a training run.</summary>
/// <param name="Epoch">The epoch (0-based).</param>
/// <param name="Loss">Mean training loss.</param>
/// <param name="TrainAccuracy">Accuracy on the (augmented) training batches, in train mode.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation data, or null.</param>
/// <param name="Seconds">Wall time of the epoch's training steps (validation excluded).</param>
/// <param name="DataWaitSeconds">Part of <paramref name="Seconds"/> the loop waited for batches.</param>
/// <param name="Images">Images trained on.</param>
public sealed record EpochSummary(int Epoch, double Loss, double TrainAccuracy, double? ValidationAccuracy,
    double Seconds, double DataWaitSeconds, long Images)
{
    /// <summary>Part of <see cref="Seconds"/> the loop waited for the device at the end of its steps (see <see cref="TrainingSummary.DeviceWaitSeconds"/>).</summary>
    public double DeviceWaitSeconds { get; init; }
}
