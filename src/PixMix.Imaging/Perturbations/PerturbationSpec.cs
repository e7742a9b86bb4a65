namespace PixMix.Imaging.Perturbations;

/// <summary>One perturbation file of a set: a perturbation at a difficulty level (2 and 3 for the noises only).</summary>
/// <param name="Kind">The perturbation.</param>
/// <param name="Level">The difficulty level, 1 unless the perturbation is a noise.</param>
public readonly record struct PerturbationSpec(PerturbationKind Kind, int Level = 1)
{
    /// <summary>The file name without .npy (<c>gaussian_noise</c>, <c>gaussian_noise_2</c>, ...).</summary>
    public string Name => PerturbationNames.FileName(Kind, Level);
    /// <summary>Frames per sequence.</summary>
    public int FrameCount => PerturbationNames.FrameCount(Kind);
    /// <summary>Whether frames are compared with the first frame.</summary>
    public bool IsNoise => PerturbationNames.IsNoise(Kind);

    /// <inheritdoc />
    public override string ToString() => Name;
}
