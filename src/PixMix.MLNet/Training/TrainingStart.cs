namespace PixMix.MLNet.Training;

/// <summary>Where a run starts: epoch 0, or the epoch, step and Fp16 loss scale of the checkpoint it resumes from.</summary>
internal sealed record TrainingStart(int Epoch, long Step, (double Scale, int GoodSteps)? LossScale);
