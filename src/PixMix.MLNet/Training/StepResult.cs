namespace PixMix.MLNet.Training;

/// <summary>The loss and correct predictions of one step, and how long the host waited for the device to give them.</summary>
internal readonly record struct StepResult(float Loss, long Correct, double DeviceWaitSeconds);
