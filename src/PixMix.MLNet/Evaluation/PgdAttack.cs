namespace PixMix.MLNet.Evaluation;

/// <summary>
/// Projected gradient descent (Madry et al.) under an L-infinity constraint, in [0, 1] pixel space: starting from a
/// uniform random point of the epsilon-ball (optional), each step moves by <c>stepSize * sign(grad)</c> of the summed
/// cross-entropy of the logits of the normalized images, then projects back onto the ball and onto [0, 1].
/// </summary>
public sealed class PgdAttack
{
    /// <summary>Creates an attack with <paramref name="options"/> (null for the paper's defaults).</summary>
    public PgdAttack(PgdOptions? options = null)
    {
        Options = options ?? new PgdOptions();
        Options.Validate();
    }

    /// <summary>The attack's options.</summary>
    public PgdOptions Options { get; }

    /// <summary>
    /// Adversarial versions of <paramref name="images"/> (float, (N, C, H, W), values in [0, 1]) for the true
    /// <paramref name="labels"/> (int64, (N)). The result lies within <see cref="PgdOptions.Epsilon"/> of the images
    /// (L-infinity) and in [0, 1]; it is a new tensor on the images' device.
    /// </summary>
    /// <param name="target">The classifier and its normalization.</param>
    /// <param name="images">Clean images in [0, 1].</param>
    /// <param name="labels">True classes.</param>
    /// <param name="batchIndex">Index of this batch, which selects its random start (with the seed).</param>
    public Tensor Perturb(PgdTarget target, Tensor images, Tensor labels, long batchIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.dim() != 4) throw new ArgumentException($"images must be (N, C, H, W), got shape [{string.Join(", ", images.shape)}].", nameof(images));
        if (labels.dim() != 1 || labels.shape[0] != images.shape[0])
            throw new ArgumentException($"labels must be (N) with N = {images.shape[0]}, got shape [{string.Join(", ", labels.shape)}].", nameof(labels));

        using var scope = NewDisposeScope();
        var (mean, std) = NormalizationTensors(target, images);
        var clean = images.detach();
        var y = labels.to_type(ScalarType.Int64);
        var adversarial = clean.clone();
        if (Options.RandomStart && Options.Epsilon > 0)
            adversarial = adversarial + RandomStart(images, batchIndex);

        for (int step = 0; step < Options.Steps; step++)
        {
            adversarial = adversarial.detach().requires_grad_(true);
            Tensor loss;
            using (enable_grad())
            {
                var logits = target.Model.call((adversarial - mean) / std);
                loss = nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum);
            }
            var gradient = autograd.grad([loss], [adversarial])[0];
            adversarial = adversarial.detach() + Options.StepSize * gradient.sign();
            adversarial = minimum(maximum(adversarial, clean - Options.Epsilon), clean + Options.Epsilon).clamp(0, 1);
        }
        if (Options.Steps == 0) adversarial = minimum(maximum(adversarial, clean - Options.Epsilon), clean + Options.Epsilon).clamp(0, 1);
        return adversarial.detach().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Attacks every image and returns the fraction misclassified after the attack, and before it (clean).
    /// </summary>
    /// <param name="target">The classifier and its normalization.</param>
    /// <param name="batches">Batches of (images (N, C, H, W) in [0, 1], labels (N)); the caller owns the tensors.</param>
    public PgdResult Evaluate(PgdTarget target, IEnumerable<(Tensor Images, Tensor Labels)> batches)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(batches);
        bool wasTraining = target.Model.training;
        target.Model.eval();
        try
        {
            long total = 0, cleanWrong = 0, adversarialWrong = 0, batchIndex = 0;
            foreach (var (images, labels) in batches)
            {
                using var scope = NewDisposeScope();
                var adversarial = Perturb(target, images, labels, batchIndex++);
                var (mean, std) = NormalizationTensors(target, images);
                var y = labels.to_type(ScalarType.Int64);
                using (no_grad())
                {
                    cleanWrong += target.Model.call((images - mean) / std).argmax(1).ne(y).sum().item<long>();
                    adversarialWrong += target.Model.call((adversarial - mean) / std).argmax(1).ne(y).sum().item<long>();
                }
                total += images.shape[0];
            }
            if (total == 0) throw new ArgumentException("No images to attack.", nameof(batches));
            return new PgdResult((double)adversarialWrong / total, (double)cleanWrong / total, total);
        }
        finally
        {
            target.Model.train(wasTraining);
        }
    }

    private Tensor RandomStart(Tensor images, long batchIndex)
    {
        long count = images.numel();
        var values = new float[count];
        var rng = PixMixRandom.For(Options.Seed, 0, batchIndex, 0x96D5UL);
        float eps = Options.Epsilon;
        for (long i = 0; i < count; i++) values[i] = (float)rng.Uniform(-eps, eps);
        return tensor(values, images.shape).to(images.device);
    }

    private static (Tensor Mean, Tensor Std) NormalizationTensors(PgdTarget target, Tensor images)
    {
        long channels = images.shape[1];
        if (target.Mean is null || target.Std is null || target.Mean.Length != target.Std.Length)
            throw new ArgumentException("PgdTarget.Mean and PgdTarget.Std must be given with the same length.", nameof(target));
        if (target.Mean.Length != 1 && target.Mean.Length != channels)
            throw new ArgumentException($"PgdTarget.Mean has {target.Mean.Length} values; the images have {channels} channels (give 1 or {channels}).", nameof(target));
        foreach (var s in target.Std)
            if (!(s > 0)) throw new ArgumentException("PgdTarget.Std values must be > 0.", nameof(target));
        long[] shape = [1, target.Mean.Length, 1, 1];
        return (tensor(target.Mean, shape).to(images.device), tensor(target.Std, shape).to(images.device));
    }
}
