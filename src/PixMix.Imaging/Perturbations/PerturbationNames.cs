namespace PixMix.Imaging.Perturbations;

/// <summary>The file names of the perturbations (CIFAR-10-P's), the benchmark's list, frame counts and difficulty levels.</summary>
public static class PerturbationNames
{
    private static readonly string[] s_names =
    [
        "gaussian_noise", "shot_noise", "motion_blur", "zoom_blur", "snow", "spatter", "brightness", "translate", "rotate",
        "tilt", "scale", "speckle_noise", "gaussian_blur", "shear",
    ];

    /// <summary>The ten of the benchmark's mean flip probability, in cifar-p-eval.py's order.</summary>
    public static IReadOnlyList<PerturbationKind> Benchmark { get; } =
    [
        PerturbationKind.GaussianNoise, PerturbationKind.ShotNoise, PerturbationKind.MotionBlur, PerturbationKind.ZoomBlur,
        PerturbationKind.Spatter, PerturbationKind.Brightness, PerturbationKind.Translate, PerturbationKind.Rotate,
        PerturbationKind.Tilt, PerturbationKind.Scale,
    ];

    /// <summary>The four validation perturbations.</summary>
    public static IReadOnlyList<PerturbationKind> Extra { get; } =
        [PerturbationKind.SpeckleNoise, PerturbationKind.GaussianBlur, PerturbationKind.Snow, PerturbationKind.Shear];

    /// <summary>All fourteen: the benchmark's ten, then the validation four.</summary>
    public static IReadOnlyList<PerturbationKind> All { get; } = [.. Benchmark, .. Extra];

    /// <summary>The most difficult noise level (levels 1, 2, 3).</summary>
    public const int MaxLevel = 3;

    /// <summary>The perturbation's file name (without .npy), for example <c>gaussian_noise</c>.</summary>
    public static string ToName(PerturbationKind kind)
        => (uint)kind < (uint)s_names.Length ? s_names[(int)kind] : throw new ArgumentOutOfRangeException(nameof(kind), kind, "kind is not a known perturbation.");

    /// <summary>The file name of a perturbation at a difficulty level: the name at level 1, <c>&lt;name&gt;_2</c> and <c>&lt;name&gt;_3</c> above.</summary>
    public static string FileName(PerturbationKind kind, int level)
    {
        CheckLevel(kind, level);
        return level == 1 ? ToName(kind) : $"{ToName(kind)}_{level}";
    }

    /// <summary>Parses a perturbation name (case-insensitive; '-' and ' ' read as '_').</summary>
    /// <exception cref="ArgumentException">The name is not a perturbation.</exception>
    public static PerturbationKind Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_');
        int i = Array.IndexOf(s_names, key);
        if (i < 0) throw new ArgumentException($"'{name}' is not a perturbation; expected one of {string.Join(", ", s_names)}.", nameof(name));
        return (PerturbationKind)i;
    }

    /// <summary>
    /// Reads a perturbation file's name (without .npy): a perturbation name, or a noise's name with <c>_2</c> or <c>_3</c>.
    /// False for any other name.
    /// </summary>
    public static bool TryParseFileName(string stem, out PerturbationKind kind, out int level)
    {
        kind = default; level = 1;
        if (string.IsNullOrEmpty(stem)) return false;
        string name = stem;
        if (stem.Length > 2 && stem[^2] == '_' && stem[^1] is '2' or '3')
        {
            name = stem[..^2];
            level = stem[^1] - '0';
        }
        int i = Array.IndexOf(s_names, name);
        if (i < 0) return false;
        kind = (PerturbationKind)i;
        if (level > 1 && !IsNoise(kind)) return false;
        return true;
    }

    /// <summary>Whether the perturbation is a noise: its frames are compared with the first frame (the clean image), not with the previous one.</summary>
    public static bool IsNoise(PerturbationKind kind)
        => kind is PerturbationKind.GaussianNoise or PerturbationKind.ShotNoise or PerturbationKind.SpeckleNoise;

    /// <summary>Frames per sequence: 21 for motion_blur, 16 for translate, 31 otherwise.</summary>
    public static int FrameCount(PerturbationKind kind) => kind switch
    {
        PerturbationKind.MotionBlur => 21,
        PerturbationKind.Translate => 16,
        _ when Enum.IsDefined(kind) => 31,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "kind is not a known perturbation."),
    };

    /// <summary>Throws unless <paramref name="level"/> is 1, or 2..3 for a noise.</summary>
    public static void CheckLevel(PerturbationKind kind, int level)
    {
        if (level == 1 && Enum.IsDefined(kind)) return;
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "kind is not a known perturbation.");
        if (!IsNoise(kind)) throw new ArgumentOutOfRangeException(nameof(level), level, $"{ToName(kind)} has one difficulty level; levels 2 and 3 exist for the noises only.");
        if (level is < 1 or > MaxLevel) throw new ArgumentOutOfRangeException(nameof(level), level, $"Noise difficulty levels are 1 to {MaxLevel}.");
    }
}
