namespace PixMix.MLNet.Training;

/// <summary>
/// The reference's per-step cosine schedule (a LambdaLR stepped after every optimiser step):
/// lr(step) = min + (lr0 - min) * 0.5 * (1 + cos(pi * step / totalSteps)).
/// </summary>
public static class CosineLearningRate
{
    /// <summary>The learning rate used by optimisation step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>.</summary>
    public static double At(long step, long totalSteps, double initial, double minimum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return minimum + (initial - minimum) * 0.5 * (1 + Math.Cos(Math.PI * step / totalSteps));
    }
}
