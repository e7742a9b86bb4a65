namespace PixMix.MLNet.Evaluation;

/// <summary>The flip rate of one perturbation type.</summary>
public sealed record FlipRateResult
{
    /// <summary>The perturbation's name.</summary>
    public string Perturbation { get; init; } = "";
    /// <summary>Number of sequences.</summary>
    public int Sequences { get; init; }
    /// <summary>Frames per sequence.</summary>
    public int FramesPerSequence { get; init; }
    /// <summary>Whether frames were compared with the first frame (noise) rather than the previous one.</summary>
    public bool IsNoise { get; init; }
    /// <summary>The frame step of non-noise sequences.</summary>
    public int Difficulty { get; init; } = 1;
    /// <summary>Mean flip probability over the sequences.</summary>
    public double FlipRate { get; init; }
    /// <summary>The difficulty level of a noise (2 and 3 for <c>&lt;name&gt;_2</c>, <c>&lt;name&gt;_3</c>); only level 1 enters the means.</summary>
    public int Level { get; init; } = 1;
    /// <summary>The mean top-5 rank distance, when the model has more than five classes.</summary>
    public double? Top5Distance { get; init; }
    /// <summary>The mean Zipf rank distance.</summary>
    public double? ZipfDistance { get; init; }
    /// <summary>The flip rate divided by the baseline's (percent), when a baseline was given.</summary>
    public double? NormalizedFlipRate { get; init; }
}
