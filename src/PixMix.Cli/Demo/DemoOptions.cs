namespace PixMix.Cli.Demo;

/// <summary>
/// Settings of <see cref="RobustnessDemo"/>. Every size left null takes the default of the full run (or of the quick
/// run when <see cref="Quick"/> is set); the defaults finish in about 13 minutes on 2 CPU cores (2 seeds x 2 arms).
/// </summary>
public sealed record DemoOptions
{
    /// <summary>Folder for report.json, report.md, the charts, the models and the generated Fashion-MNIST-C.</summary>
    public string OutputFolder { get; init; } = "demo-output";
    /// <summary>The shipped data folder (data/ or data/fashion-mnist); null: found automatically.</summary>
    public string? DataFolder { get; init; }
    /// <summary>
    /// The first seed. Run <c>s</c> (0-based) of each arm uses seed <c>Seed + s</c> for initialization, shuffling and
    /// PixMix; both arms of a run share it, so their difference is a paired comparison. The corruptions and the
    /// out-of-distribution sets come from <c>Seed</c> alone and are the same for every run.
    /// </summary>
    public long Seed { get; init; }
    /// <summary>A much smaller run (a minute or two) for a first look; its numbers are noisier.</summary>
    public bool Quick { get; init; }
    /// <summary>Runs (seeds) per arm, 1..20. Default 2 (quick: 1).</summary>
    public int? Seeds { get; init; }
    /// <summary>Training images (first N of Fashion-MNIST train), 100..60000. Default 60,000 (quick: 12,000).</summary>
    public int? TrainImages { get; init; }
    /// <summary>Test images of the clean error, calibration and anomaly detection (first N of Fashion-MNIST test), 100..10000. Default 10,000 (quick: 1,000).</summary>
    public int? TestImages { get; init; }
    /// <summary>
    /// Test images that Fashion-MNIST-C is made of (the first N of the test images, 15 corruptions x 5 severities each),
    /// 100..<see cref="TestImages"/>. Default 1,000 (quick: 300). Each synthetic out-of-distribution set holds a fifth of
    /// <see cref="TestImages"/>.
    /// </summary>
    public int? CorruptionImages { get; init; }
    /// <summary>
    /// Sequences per perturbation of the generated Fashion-MNIST-P (the first N test images, the ten perturbations of
    /// the benchmark's mean flip probability), 10..<see cref="TestImages"/>. Default 200 (quick: 40).
    /// </summary>
    public int? PerturbationSequences { get; init; }
    /// <summary>Test images attacked by PGD (L-inf 2/255, 20 steps; the first N), 10..<see cref="TestImages"/>. Default 500 (quick: 100).</summary>
    public int? AdversarialImages { get; init; }
    /// <summary>Epochs per model, 1..200. Default 5 (quick: 3).</summary>
    public int? Epochs { get; init; }
    /// <summary>Peak learning rate of the cosine schedule, (0, 10]. Default 0.1 (the paper's).</summary>
    public double? LearningRate { get; init; }
    /// <summary>
    /// Dropout probability before the network's linear layer, in [0, 1). Default 0: the small network underfits
    /// PixMix's training distribution in a few epochs, and dropout costs it clean accuracy there (see the README's frontier).
    /// </summary>
    public double? Dropout { get; init; }
    /// <summary>Batch size, 8..4096. Default 128.</summary>
    public int? BatchSize { get; init; }
    /// <summary>PixMix's k, beta, severity and operation list in the PixMix arm; null: <see cref="RobustnessDemo.DefaultPixMix"/> (k 1, beta 3, severity 3, all ops).</summary>
    public PixMixParameters? PixMix { get; init; }
    /// <summary>Torch intra-op threads (0: TorchSharp's default).</summary>
    public int TorchThreads { get; init; }
}
