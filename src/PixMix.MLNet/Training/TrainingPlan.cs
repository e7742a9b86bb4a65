namespace PixMix.MLNet.Training;

/// <summary>What one call of Fit trains, fixed for the whole run: the options, the network's description, the classes, the device and the data.</summary>
/// <param name="Options">The trainer's options (its own copy).</param>
/// <param name="Spec">The network.</param>
/// <param name="Classes">The label's classes.</param>
/// <param name="Device">The resolved device.</param>
/// <param name="Features">The training data's feature column.</param>
/// <param name="Label">The training data's label column (a key type).</param>
/// <param name="Rows">The training data's rows.</param>
internal sealed record TrainingPlan(ImageClassifierOptions Options, ImageModelSpec Spec, ClassLabels Classes, Device Device,
    DataViewSchema.Column Features, DataViewSchema.Column Label, long Rows)
{
    /// <summary>Steps per epoch (<see cref="BatchPipeline.BatchesPerEpoch"/>).</summary>
    public long StepsPerEpoch => BatchPipeline.BatchesPerEpoch(Rows, Options.BatchSize);

    /// <summary>Steps of the whole schedule, which the learning rate follows.</summary>
    public long TotalSteps => StepsPerEpoch * Options.Epochs;

    /// <summary>Whether the run trains on a CUDA device.</summary>
    public bool OnCuda => Device.type == DeviceType.CUDA;

    /// <summary>The device's name as the training summary reports it ("cpu", "cuda").</summary>
    public string DeviceKind => Device.type.ToString().ToLowerInvariant();
}
