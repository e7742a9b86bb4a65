namespace PixMix.MLNet.Training;

/// <summary>What a progress report describes.</summary>
public enum TrainingProgressKind
{
    /// <summary>A report during an epoch (every <see cref="ImageClassifierOptions.ProgressInterval"/> steps).</summary>
    Step,
    /// <summary>The end of an epoch (after validation, when validation data was given).</summary>
    EpochEnd,
    /// <summary>
    /// Sent once, after the first few steps of a run (or at the end of its first epoch when that comes sooner), with the
    /// first estimate of the run's length in <see cref="TrainingProgress.SecondsLeft"/>.
    /// </summary>
    Estimate,
}
