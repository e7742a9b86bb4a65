using System.Collections.ObjectModel;

namespace PixMix.MLNet.Evaluation;

/// <summary>
/// AlexNet's ImageNet-C errors, the normalizer of the mean corruption error (mCE): for each of the 15 benchmark
/// corruptions, AlexNet's top-1 error averaged over the five severities, in the benchmark's order.
/// </summary>
public static class AlexNetBaseline
{
    /// <summary>
    /// AlexNet's clean ImageNet validation top-1 error: 1 - 0.56522 (the accuracy of the torchvision AlexNet weights
    /// the benchmark was computed with; the ImageNet-C paper rounds it to 43.5%).
    /// </summary>
    public const double CleanError = 0.43478;

    private static readonly string[] Names =
    [
        "gaussian_noise", "shot_noise", "impulse_noise", "defocus_blur", "glass_blur", "motion_blur", "zoom_blur",
        "snow", "frost", "fog", "brightness", "contrast", "elastic_transform", "pixelate", "jpeg_compression",
    ];

    private static readonly double[] Errors =
    [
        0.886428, 0.894468, 0.922640, 0.819880, 0.826268, 0.785948, 0.798360,
        0.866816, 0.826572, 0.819324, 0.564592, 0.853204, 0.646056, 0.717840, 0.606500,
    ];

    /// <summary>The 15 benchmark corruption names, in the benchmark's order.</summary>
    public static IReadOnlyList<string> CorruptionNames { get; } = Array.AsReadOnly(Names);

    /// <summary>AlexNet's severity-averaged error per corruption name.</summary>
    public static IReadOnlyDictionary<string, double> CorruptionErrors { get; } =
        new ReadOnlyDictionary<string, double>(Names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => Errors[p.i], StringComparer.Ordinal));

    /// <summary>AlexNet's error for <paramref name="corruption"/>, or null when the corruption is not one of the 15.</summary>
    public static double? TryGetError(string corruption)
        => CorruptionErrors.TryGetValue(corruption, out var e) ? e : null;
}
