namespace PixMix.MLNet.Evaluation;

/// <summary>Options of <see cref="PgdAttack"/>; the defaults are the PixMix paper's (L-infinity, 2/255, 20 steps of 0.5/255, random start).</summary>
public sealed record PgdOptions
{
    /// <summary>Radius of the L-infinity ball around each image, in [0, 1] pixel units.</summary>
    public float Epsilon { get; init; } = 2f / 255f;
    /// <summary>Number of signed-gradient ascent steps.</summary>
    public int Steps { get; init; } = 20;
    /// <summary>Size of each step, in [0, 1] pixel units.</summary>
    public float StepSize { get; init; } = 0.5f / 255f;
    /// <summary>Whether to start from a uniform random point of the ball (the paper's setting).</summary>
    public bool RandomStart { get; init; } = true;
    /// <summary>Seed of the random starts (each batch's start depends only on the seed and the batch's index).</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Images attacked at once.</summary>
    public int BatchSize { get; init; } = 128;

    internal void Validate()
    {
        if (!(Epsilon >= 0 && Epsilon <= 1)) throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "PgdOptions.Epsilon must be in [0, 1].");
        if (Steps < 0) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "PgdOptions.Steps must be >= 0.");
        if (!(StepSize >= 0)) throw new ArgumentOutOfRangeException(nameof(StepSize), StepSize, "PgdOptions.StepSize must be >= 0.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "PgdOptions.BatchSize must be >= 1.");
    }
}
