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
/// <param name="Level">The difficulty level of a noise file (<c>&lt;name&gt;_2</c>, <c>&lt;name&gt;_3</c>); sets above level 1 are not averaged.</param>
public sealed record PerturbationSet(string Name, IImageSource Frames, int FramesPerSequence, bool IsNoise, int Difficulty = 1, double? BaselineFlipRate = null, int Level = 1)
{
    /// <summary>
    /// A perturbation file (CIFAR-10-P's or one <see cref="PixMix.Imaging.Perturbations.PerturbationSets.Write"/> made): named after the
    /// file, a noise when the name holds "noise" (as cifar-p-eval.py decides), level 2 or 3 for <c>&lt;noise&gt;_2</c> and <c>&lt;noise&gt;_3</c>.
    /// </summary>
    public static PerturbationSet FromFile(PerturbationSequences file, double? baselineFlipRate = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        string name = System.IO.Path.GetFileNameWithoutExtension(file.Path);
        int level = PixMix.Imaging.Perturbations.PerturbationNames.TryParseFileName(name, out _, out int l) ? l : 1;
        return new PerturbationSet(name, file.AllFrames(), file.FrameCount, name.Contains("noise", StringComparison.Ordinal), 1, baselineFlipRate, level);
    }
}
