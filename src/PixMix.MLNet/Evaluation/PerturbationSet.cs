namespace PixMix.MLNet.Evaluation;

/// <summary>
/// One perturbation type of a consistency benchmark (CIFAR-10-P / ImageNet-P): sequences of frames stored one after
/// another, <see cref="FramesPerSequence"/> frames per sequence (the (sequences, frames, H, W, C) arrays flattened).
/// </summary>
/// <param name="Name">The perturbation's name (for example <c>gaussian_noise</c>, <c>rotate</c>).</param>
/// <param name="Frames">All frames, sequence after sequence (labels are not needed).</param>
/// <param name="FramesPerSequence">Frames per sequence (at least 2).</param>
/// <param name="IsNoise">True for noise perturbations: frames are compared with the first frame instead of the previous one.</param>
/// <param name="Difficulty">The frame step of non-noise sequences (1 for CIFAR-10-P).</param>
/// <param name="BaselineFlipRate">Optional flip rate of a baseline network (AlexNet in ImageNet-P) to normalize by.</param>
public sealed record PerturbationSet(string Name, IImageSource Frames, int FramesPerSequence, bool IsNoise, int Difficulty = 1, double? BaselineFlipRate = null);
