using PixMix.Imaging.Corruptions;

namespace PixMix.MLNet.Evaluation;

/// <summary>The benchmark names (file stems of CIFAR-10-C / ImageNet-C) of the <see cref="CorruptionKind"/> values.</summary>
public static class CorruptionNames
{
    private static readonly string[] Names =
    [
        "gaussian_noise", "shot_noise", "impulse_noise", "defocus_blur", "glass_blur", "motion_blur", "zoom_blur",
        "snow", "frost", "fog", "brightness", "contrast", "elastic_transform", "pixelate", "jpeg_compression",
        "speckle_noise", "gaussian_blur", "spatter", "saturate",
    ];

    /// <summary>The benchmark name of <paramref name="kind"/> (for example <c>gaussian_noise</c>).</summary>
    public static string Of(CorruptionKind kind)
    {
        int i = (int)kind;
        if (i < 0 || i >= Names.Length) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown corruption kind.");
        return Names[i];
    }

    /// <summary>The kind whose benchmark name is <paramref name="name"/>, if any.</summary>
    public static bool TryParse(string name, out CorruptionKind kind)
    {
        int i = Array.IndexOf(Names, name);
        kind = (CorruptionKind)Math.Max(i, 0);
        return i >= 0;
    }
}
