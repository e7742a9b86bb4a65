namespace PixMix.Imaging.Corruptions;

/// <summary>
/// The benchmark's file names of the corruptions (<c>gaussian_noise.npy</c>, ... in CIFAR-10-C, folder names in
/// ImageNet-C) and the lists of corruptions in the benchmark's order.
/// </summary>
public static class CorruptionNames
{
    private static readonly string[] s_names =
    [
        "gaussian_noise", "shot_noise", "impulse_noise", "defocus_blur", "glass_blur", "motion_blur", "zoom_blur",
        "snow", "frost", "fog", "brightness", "contrast", "elastic_transform", "pixelate", "jpeg_compression",
        "speckle_noise", "gaussian_blur", "spatter", "saturate",
    ];

    /// <summary>The number of benchmark corruptions (15).</summary>
    public const int BenchmarkCount = 15;

    /// <summary>The 15 benchmark corruptions in the benchmark's order (gaussian_noise ... jpeg_compression).</summary>
    public static IReadOnlyList<CorruptionKind> Benchmark { get; } =
        Enumerable.Range(0, BenchmarkCount).Select(i => (CorruptionKind)i).ToArray();

    /// <summary>The 4 extra corruptions (speckle_noise, gaussian_blur, spatter, saturate).</summary>
    public static IReadOnlyList<CorruptionKind> Extra { get; } =
        Enumerable.Range(BenchmarkCount, 4).Select(i => (CorruptionKind)i).ToArray();

    /// <summary>All 19 corruptions: the benchmark ones, then the extra ones.</summary>
    public static IReadOnlyList<CorruptionKind> All { get; } =
        Enumerable.Range(0, s_names.Length).Select(i => (CorruptionKind)i).ToArray();

    /// <summary>The file names of the 15 benchmark corruptions, in order.</summary>
    public static IReadOnlyList<string> BenchmarkNames { get; } = s_names[..BenchmarkCount];

    /// <summary>The file names of all 19 corruptions, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> AllNames { get; } = s_names.ToArray();

    /// <summary>The benchmark file name of <paramref name="kind"/>, e.g. <c>"jpeg_compression"</c>.</summary>
    public static string ToName(CorruptionKind kind)
    {
        int i = (int)kind;
        if ((uint)i >= (uint)s_names.Length)
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "kind is not a known corruption.");
        return s_names[i];
    }

    /// <summary>Whether <paramref name="kind"/> is one of the 15 benchmark corruptions.</summary>
    public static bool IsBenchmark(CorruptionKind kind) => (uint)kind < BenchmarkCount;

    /// <summary>
    /// Parses a benchmark file name (<c>"motion_blur"</c>), ignoring case, surrounding blanks and a trailing
    /// <c>.npy</c>; the enum name (<c>"MotionBlur"</c>) is accepted too.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a corruption; the message lists the valid names.</exception>
    public static CorruptionKind Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryParse(name, out var kind)) return kind;
        throw new ArgumentException($"'{name}' is not a corruption name. Valid names: {string.Join(", ", s_names)}.", nameof(name));
    }

    /// <summary>Like <see cref="Parse"/>, returning false instead of throwing.</summary>
    public static bool TryParse(string? name, out CorruptionKind kind)
    {
        kind = default;
        if (string.IsNullOrWhiteSpace(name)) return false;
        string n = name.Trim();
        if (n.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) n = n[..^4];
        for (int i = 0; i < s_names.Length; i++)
        {
            if (string.Equals(n, s_names[i], StringComparison.OrdinalIgnoreCase)
                || string.Equals(n, ((CorruptionKind)i).ToString(), StringComparison.OrdinalIgnoreCase))
            {
                kind = (CorruptionKind)i;
                return true;
            }
        }
        return false;
    }
}
