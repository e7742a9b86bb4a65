namespace PixMix.MLNet.TorchSupport;

/// <summary>
/// Dynamic loss scaling for float16 training, the algorithm of PyTorch's <c>torch.cuda.amp.GradScaler</c> (which
/// TorchSharp 0.107 does not have): the loss is multiplied by the scale before backward, the gradients are divided by it
/// before the optimiser step, and a step whose gradients hold an infinity or NaN is skipped and halves the scale;
/// after <see cref="GrowthInterval"/> good steps in a row the scale doubles.
/// </summary>
/// <remarks>
/// The scale and the count of good steps since the last change are part of a training checkpoint
/// (<see cref="Scale"/>, <see cref="GoodSteps"/>), so a resumed run goes on where it stopped. A scale below 1 means the
/// gradients are not finite even unscaled (every step of a long run skipped): <see cref="Update"/> then reports it as
/// divergence instead of skipping steps silently for ever.
/// </remarks>
internal sealed class GradientScaler(double initialScale = 65536, double growthFactor = 2, double backoffFactor = 0.5, int growthInterval = 2000,
    int goodSteps = 0)
{
    internal double Scale { get; private set; } = initialScale;
    internal int GrowthInterval { get; } = growthInterval;
    internal long SkippedSteps { get; private set; }
    /// <summary>Good steps in a row since the scale last changed.</summary>
    internal int GoodSteps => _goodSteps;
    /// <summary>Skipped steps in a row.</summary>
    internal int SkippedInARow { get; private set; }
    private int _goodSteps = goodSteps;

    /// <summary>The loss times the scale.</summary>
    internal Tensor ScaleLoss(Tensor loss) => loss * Scale;

    /// <summary>
    /// Divides the gradients (the tensors themselves: the trainer's one flat gradient buffer, or parameters' <c>grad</c>)
    /// by the scale in place and returns a one-element tensor on <paramref name="device"/> (the gradients' device) that
    /// is true when all of them are finite (read it with the step's other values, in one transfer).
    /// </summary>
    internal Tensor UnscaleAndCheck(IEnumerable<Tensor> gradients, Device device)
    {
        double inverse = 1.0 / Scale;
        var sums = new List<Tensor>();
        using (no_grad())
        {
            foreach (var g in gradients)
            {
                g.mul_(inverse);
                sums.Add(g.sum());
            }
            // Any infinity or NaN makes the sum non-finite (a finite sum overflowing is harmless: one skipped step).
            return sums.Count == 0 ? tensor(true, device: device) : stack(sums).sum().isfinite();
        }
    }

    /// <summary>
    /// Updates the scale after a step; <paramref name="finite"/> false means the step was skipped. Returns false when
    /// the scale has fallen below 1 (the gradients are not finite even unscaled: the run has diverged).
    /// </summary>
    internal bool Update(bool finite)
    {
        if (!finite)
        {
            Scale *= backoffFactor; _goodSteps = 0; SkippedSteps++; SkippedInARow++;
            return Scale >= 1;
        }
        SkippedInARow = 0;
        if (++_goodSteps >= GrowthInterval) { Scale *= growthFactor; _goodSteps = 0; }
        return true;
    }
}
