namespace PixMix.MLNet.Training;

/// <summary>A progress report of <see cref="ImageClassificationTrainer"/>.</summary>
/// <param name="Kind">Step, end-of-epoch or first-estimate report.</param>
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
    /// <summary>Seconds since this run's training loop started (a resumed run counts from its resumption).</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>
    /// Estimated seconds until this run ends: the measured time per step (after the first step, which pays one-time
    /// costs) times the steps left, validation included as it was measured. Null before a step was measured.
    /// </summary>
    public double? SecondsLeft { get; init; }

    /// <summary>"epoch n/N, loss x, images/s y, ETA z", then the step, learning rate, data wait and accuracies.</summary>
    public override string ToString()
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        string validation = ValidationAccuracy is double v ? string.Create(invariant, $", val-acc {v:P2}") : "";
        return string.Create(invariant,
            $"epoch {Epoch + 1}/{Epochs}, loss {Loss:F4}, images/s {RunEstimate.Rate(ImagesPerSecond)}, ETA {RunEstimate.Duration(SecondsLeft)}; step {Step}/{TotalSteps}, lr {LearningRate:G4}, data-wait {DataWaitFraction:P1}, train-acc {TrainAccuracy:P2}{validation}");
    }
}
