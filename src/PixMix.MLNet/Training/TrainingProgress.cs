namespace PixMix.MLNet.Training;

/// <summary>What a progress report describes.</summary>
public enum TrainingProgressKind
{
    /// <summary>A report during an epoch (every <see cref="ImageClassifierOptions.ProgressInterval"/> steps).</summary>
    Step,
    /// <summary>The end of an epoch (after validation, when validation data was given).</summary>
    EpochEnd,
}

/// <summary>A progress report of <see cref="ImageClassificationTrainer"/>.</summary>
/// <param name="Kind">Step or end-of-epoch report.</param>
/// <param name="Epoch">The epoch (0-based).</param>
/// <param name="Epochs">Total epochs of the schedule.</param>
/// <param name="Step">Optimisation steps done since the start of training (the schedule's position).</param>
/// <param name="TotalSteps">Steps of the whole schedule.</param>
/// <param name="Loss">Mean training loss since the previous report (of the epoch, for <see cref="TrainingProgressKind.EpochEnd"/>).</param>
/// <param name="LearningRate">The learning rate of the last step.</param>
/// <param name="ImagesPerSecond">Training throughput since the previous report (of the epoch, for EpochEnd).</param>
/// <param name="DataWaitFraction">Fraction of the time the training loop waited for data since the previous report.</param>
/// <param name="TrainAccuracy">Training accuracy of the epoch so far (on the augmented batches, in train mode).</param>
/// <param name="ValidationAccuracy">Validation accuracy after the epoch; null in step reports or without validation data.</param>
public sealed record TrainingProgress(TrainingProgressKind Kind, int Epoch, int Epochs, long Step, long TotalSteps,
    double Loss, double LearningRate, double ImagesPerSecond, double DataWaitFraction, double TrainAccuracy,
    double? ValidationAccuracy)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"epoch {Epoch + 1}/{Epochs} step {Step}/{TotalSteps} loss {Loss:F4} lr {LearningRate:G4} " +
        $"{ImagesPerSecond:F1} img/s data-wait {DataWaitFraction:P1} train-acc {TrainAccuracy:P2}" +
        (ValidationAccuracy is double v ? $" val-acc {v:P2}" : "");
}
