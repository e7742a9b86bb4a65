namespace PixMix.Imaging.Mixing;

/// <summary>
/// The PixMix hyper-parameters: how many mixing rounds at most (<see cref="K"/>), the mixing-weight concentration
/// (<see cref="Beta"/>), the augmentation severity (<see cref="Severity"/>) and whether the four colour/sharpness
/// operations join the list (<see cref="AllOps"/>). Defaults are the paper's CIFAR recipe.
/// </summary>
public sealed record PixMixParameters
{
    /// <summary>Maximum number of mixing rounds; each image gets U{0..K} rounds. Paper: 4. Range 0..16.</summary>
    public int K { get; init; } = 4;
    /// <summary>Concentration of the Beta-distributed mixing weights. Paper: 3 (CIFAR), 4 (ImageNet). Range (0, 100].</summary>
    public double Beta { get; init; } = 3;
    /// <summary>Severity of the augmentation operations: each op's level ~ U(0.1, Severity). Paper: 3 (CIFAR), 1 (ImageNet). Range [0.1, 10].</summary>
    public double Severity { get; init; } = 3;
    /// <summary>Use all 13 operations (adds color, contrast, brightness, sharpness). Paper: on.</summary>
    public bool AllOps { get; init; } = true;

    /// <summary>The paper's CIFAR-10/100 setting: k 4, beta 3, severity 3, all ops.</summary>
    public static PixMixParameters Cifar { get; } = new();
    /// <summary>The paper's ImageNet setting: k 4, beta 4, severity 1, all ops.</summary>
    public static PixMixParameters ImageNet { get; } = new() { Beta = 4, Severity = 1 };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of its range.</summary>
    public void Validate()
    {
        if (K is < 0 or > 16)
            throw new ArgumentOutOfRangeException(nameof(K), K, "PixMix option 'K' (maximum mixing rounds) must be in 0..16.");
        if (!(Beta > 0 && Beta <= 100))
            throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "PixMix option 'Beta' must be in (0, 100].");
        if (!(Severity >= 0.1 && Severity <= 10))
            throw new ArgumentOutOfRangeException(nameof(Severity), Severity, "PixMix option 'Severity' must be in [0.1, 10].");
    }
}
