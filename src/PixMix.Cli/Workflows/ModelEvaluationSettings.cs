namespace PixMix.Cli.Workflows;

/// <summary>What <see cref="ModelEvaluation.Run"/> evaluates a saved model on, and where the report goes.</summary>
public sealed class ModelEvaluationSettings
{
    /// <summary>The PixMix model file (from <c>SavePixMixModel</c>) that scores raw images from an "Image" column.</summary>
    public required string ModelPath { get; init; }

    /// <summary>The clean, labelled test images.</summary>
    public required IImageSource TestImages { get; init; }

    /// <summary>The test set's name, recorded in the report.</summary>
    public string? DatasetName { get; init; }

    /// <summary>Use only the first this many images of every set (clean, each corruption cell, out-of-distribution); null: all.</summary>
    public int? Limit { get; init; }

    /// <summary>A CIFAR-10-C style folder (<c>&lt;corruption&gt;.npy</c> + <c>labels.npy</c>) to evaluate on, or null.</summary>
    public string? CorruptedFolder { get; init; }

    /// <summary>Corrupt the test images on the fly (with <see cref="CorruptedImageSource"/>) instead of reading a folder.</summary>
    public bool GenerateCorruptions { get; init; }

    /// <summary>The corruptions generated, or read from <see cref="CorruptedFolder"/> (null: every one the folder holds; the 15 benchmark ones when generating).</summary>
    public IReadOnlyList<CorruptionKind>? Corruptions { get; init; }

    /// <summary>The severities evaluated (default 1..5).</summary>
    public IReadOnlyList<int> Severities { get; init; } = [1, 2, 3, 4, 5];

    /// <summary>The parameter table of generated corruptions; null picks it from the image size.</summary>
    public CorruptionParameterSet? CorruptionParameters { get; init; }

    /// <summary>The seed of generated corruptions and synthetic out-of-distribution images.</summary>
    public long Seed { get; init; }

    /// <summary>A CIFAR-10-P style folder (<c>&lt;perturbation&gt;.npy</c> of (N, frames, H, W, C), optional <c>labels.npy</c>) to measure the flip probability on, or null.</summary>
    public string? PerturbedFolder { get; init; }

    /// <summary>Make perturbation sequences of the test images on the fly (see <see cref="PixMix.Imaging.Perturbations.PerturbedSequenceSource"/>).</summary>
    public bool GeneratePerturbations { get; init; }

    /// <summary>The perturbation files generated, or read from <see cref="PerturbedFolder"/> (null: every one the folder holds; the ten of the benchmark when generating).</summary>
    public IReadOnlyList<PixMix.Imaging.Perturbations.PerturbationSpec>? Perturbations { get; init; }

    /// <summary>Sequences per perturbation (the first ones); null: as many as <see cref="Limit"/> allows.</summary>
    public int? PerturbationSequences { get; init; }

    /// <summary>Synthetic out-of-distribution sets for anomaly detection (as many images as the clean set).</summary>
    public IReadOnlyList<SyntheticOodKind> OutOfDistribution { get; init; } = [];

    /// <summary>Run the PGD attack (needs the model to end in the TorchSharp image classifier after a PixMix transform).</summary>
    public bool Adversarial { get; init; }

    /// <summary>Attack at most this many images (default 1000).</summary>
    public int AdversarialMaxExamples { get; init; } = 1000;

    /// <summary>
    /// Evaluate <see cref="ModelPath"/> as an ONNX image classifier with these settings (its file's contract where they
    /// leave a value out); null: the model is a PixMix model file.
    /// </summary>
    public PixMix.MLNet.Onnx.OnnxImageClassifierOptions? Onnx { get; init; }

    /// <summary>
    /// What scores a PixMix model file's classifier (default TorchSharp); an ONNX model (<see cref="Onnx"/>) is always
    /// scored by ONNX Runtime.
    /// </summary>
    public EvaluationEngine Engine { get; init; } = EvaluationEngine.TorchSharp;

    /// <summary>
    /// A baseline model's report.json on the same sets (an earlier evaluation's): normalizes the corruption errors (mCE,
    /// relative mCE) and the flip rates (mFR) by its numbers; null: none.
    /// </summary>
    public string? BaselineReportPath { get; init; }

    /// <summary>The folder to write report.json, report.md and the PNG charts to; null writes nothing.</summary>
    public string? OutputFolder { get; init; }
}
