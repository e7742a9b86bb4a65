using System.Text.Json.Serialization;

namespace PixMix.MLNet.Training;

/// <summary>
/// Options of <see cref="ImageClassificationTrainer"/>. The defaults are the PixMix paper's CIFAR recipe:
/// WideResNet-40-4 with dropout 0.3, SGD (momentum 0.9, Nesterov, weight decay 5e-4), learning rate 0.1 with a
/// per-step cosine schedule down to 1e-6, batch 128, 100 epochs.
/// </summary>
public sealed class ImageClassifierOptions
{
    /// <summary>The label column: a key type (from <c>MapValueToKey</c>); its key count is the class count. Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>
    /// The feature column: a known-size vector of <see cref="float"/>, normalised image pixels in CHW order, either
    /// with dimensions (C, H, W) or one-dimensional with <see cref="ImageChannels"/>, <see cref="ImageHeight"/> and
    /// <see cref="ImageWidth"/> set. Default "Features".
    /// </summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>The network. Default <see cref="ModelArchitecture.WideResNet"/>.</summary>
    public ModelArchitecture Architecture { get; set; } = ModelArchitecture.WideResNet;

    /// <summary>WideResNet depth, 6n + 4 in [10, 202]. Default 40.</summary>
    public int Depth { get; set; } = 40;

    /// <summary>WideResNet width multiplier in [1, 32]. Default 4.</summary>
    public int Widen { get; set; } = 4;

    /// <summary>Dropout probability in [0, 1) (WideResNet blocks, SmallCnn head). Default 0.3.</summary>
    public double Dropout { get; set; } = 0.3;

    /// <summary>Image channels when the feature column is one-dimensional (0: take the shape from the column type).</summary>
    public int ImageChannels { get; set; }

    /// <summary>Image height when the feature column is one-dimensional (0: take the shape from the column type).</summary>
    public int ImageHeight { get; set; }

    /// <summary>Image width when the feature column is one-dimensional (0: take the shape from the column type).</summary>
    public int ImageWidth { get; set; }

    /// <summary>Number of passes over the training data, in [1, 100000]. Default 100.</summary>
    public int Epochs { get; set; } = 100;

    /// <summary>Images per optimisation step, in [1, 65536]. Default 128.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>Initial learning rate, in (0, 10]. Default 0.1.</summary>
    public double LearningRate { get; set; } = 0.1;

    /// <summary>Learning rate at the end of the cosine schedule, in [0, <see cref="LearningRate"/>]. Default 1e-6.</summary>
    public double MinLearningRate { get; set; } = 1e-6;

    /// <summary>SGD momentum, in [0, 1). Default 0.9.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Nesterov momentum (needs <see cref="Momentum"/> &gt; 0). Default true.</summary>
    public bool Nesterov { get; set; } = true;

    /// <summary>L2 weight decay, in [0, 1). Default 5e-4.</summary>
    public double WeightDecay { get; set; } = 5e-4;

    /// <summary>Where to train. Default <see cref="TrainingDevice.Auto"/>.</summary>
    public TrainingDevice Device { get; set; } = TrainingDevice.Auto;

    /// <summary>Seed of the weight initialisation, the per-epoch shuffles and dropout. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Shuffle the rows each epoch (deterministically from seed and epoch). Default true.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>
    /// Rows shuffled together, in [1, 10^8]. Rows are read in windows of this many and shuffled within each window; when
    /// the data has no more rows than this, every epoch is a full shuffle. Two windows are held in memory
    /// (rows x C x H x W floats each). Default 8192.
    /// </summary>
    public int ShuffleWindow { get; set; } = 8192;

    /// <summary>
    /// Threads that read (and augment) rows, in [0, 64], each with its own cursor taking every n-th row; the result does
    /// not depend on it. 0 (the default) chooses by device: on CUDA, where the CPU only feeds the GPU, the processor count
    /// less one (the training loop's thread), at most 64; on the CPU, which also computes the steps, the processor count,
    /// at most 4. See <see cref="ResolveDataThreads"/>.
    /// </summary>
    public int DataThreads { get; set; }

    /// <summary>
    /// Arithmetic precision of the training step (see <see cref="TrainingPrecision"/>): float32 (default), bfloat16 autocast
    /// (CPU and CUDA), or float16 autocast with dynamic loss scaling (CUDA only). Mixed precision is LibTorch's own autocast,
    /// switched on for the forward pass and the loss; weights, gradients and optimiser state stay float32, and the trained
    /// model is float32. Scoring (validation, Transform) runs in float32.
    /// </summary>
    public TrainingPrecision Precision { get; set; } = TrainingPrecision.Fp32;

    /// <summary>
    /// Train in channels-last (NHWC) memory format: the network's 4-d weights and every input batch are converted, so cuDNN
    /// can use its NHWC kernels (tensor cores with <see cref="Precision"/> Bf16/Fp16). The values computed are the same up to
    /// rounding; the trained model is stored in the usual (contiguous) format. Default false.
    /// </summary>
    public bool ChannelsLast { get; set; }

    /// <summary>
    /// On CUDA, let cuDNN time its convolution algorithms on the first batch of each input shape and keep the fastest
    /// (PyTorch's <c>torch.backends.cudnn.benchmark = True</c>, which the PixMix and AugMix training scripts set): faster
    /// steps for a network whose input size does not change. CUDA results are not bitwise reproducible either way. The
    /// previous setting comes back after training; no effect on the CPU. Default true.
    /// </summary>
    public bool CudnnBenchmark { get; set; } = true;

    /// <summary>Batches prepared ahead of the training loop, in [1, 64]. Default 3.</summary>
    public int PrefetchBatches { get; set; } = 3;

    /// <summary>Threads torch uses for its CPU operators, in [0, 1024] (0: torch's default). Default 0.</summary>
    public int TorchThreads { get; set; }

    /// <summary>Report progress every this many steps, in [1, 10^9]; epoch ends are always reported. Default 50.</summary>
    public int ProgressInterval { get; set; } = 50;

    /// <summary>Batch size for validation and scoring, in [1, 65536]. Default 256.</summary>
    public int EvaluationBatchSize { get; set; } = 256;

    /// <summary>When set, a checkpoint is written atomically to this folder after every epoch.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>A checkpoint file, or a checkpoint folder (its latest checkpoint), to continue training from.</summary>
    public string? ResumeFrom { get; set; }

    /// <summary>Stop after this epoch count even if <see cref="Epochs"/> is larger (the schedule still spans <see cref="Epochs"/>); 0: no stop. For interrupting runs that are resumed later.</summary>
    public int StopAfterEpochs { get; set; }

    /// <summary>Receives progress during training (every <see cref="ProgressInterval"/> steps and after every epoch).</summary>
    [JsonIgnore]
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>Cancels training; the last completed epoch's checkpoint remains.</summary>
    [JsonIgnore]
    public CancellationToken CancellationToken { get; set; }

    /// <summary>The data threads used on <paramref name="cuda"/> or CPU training when <see cref="DataThreads"/> is 0; else <see cref="DataThreads"/>.</summary>
    public int ResolveDataThreads(bool cuda) => DataThreads > 0 ? DataThreads
        : cuda ? Math.Clamp(Environment.ProcessorCount - 1, 1, 64) : Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>A copy of these options.</summary>
    public ImageClassifierOptions Clone() => (ImageClassifierOptions)MemberwiseClone();

    /// <summary>Checks every option; throws <see cref="ArgumentOutOfRangeException"/> naming the option and its valid range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(LabelColumnName)) throw new ArgumentException("LabelColumnName must name a column.", nameof(LabelColumnName));
        if (string.IsNullOrWhiteSpace(FeatureColumnName)) throw new ArgumentException("FeatureColumnName must name a column.", nameof(FeatureColumnName));
        if (!Enum.IsDefined(Architecture)) Fail(nameof(Architecture), Architecture, "a ModelArchitecture value");
        if (Architecture == ModelArchitecture.WideResNet && (Depth < 10 || Depth > 202 || (Depth - 4) % 6 != 0))
            Fail(nameof(Depth), Depth, "6n + 4 in [10, 202] (10, 16, 22, 28, 40, ...)");
        if (Widen < 1 || Widen > 32) Fail(nameof(Widen), Widen, "[1, 32]");
        if (!(Dropout >= 0 && Dropout < 1)) Fail(nameof(Dropout), Dropout, "[0, 1)");
        if (ImageChannels < 0 || ImageChannels > 4096) Fail(nameof(ImageChannels), ImageChannels, "[0, 4096] (0: from the column type)");
        if (ImageHeight < 0 || ImageHeight > 65536) Fail(nameof(ImageHeight), ImageHeight, "[0, 65536] (0: from the column type)");
        if (ImageWidth < 0 || ImageWidth > 65536) Fail(nameof(ImageWidth), ImageWidth, "[0, 65536] (0: from the column type)");
        if (Epochs < 1 || Epochs > 100_000) Fail(nameof(Epochs), Epochs, "[1, 100000]");
        if (BatchSize < 1 || BatchSize > 65536) Fail(nameof(BatchSize), BatchSize, "[1, 65536]");
        if (!(LearningRate > 0 && LearningRate <= 10)) Fail(nameof(LearningRate), LearningRate, "(0, 10]");
        if (!(MinLearningRate >= 0 && MinLearningRate <= LearningRate)) Fail(nameof(MinLearningRate), MinLearningRate, $"[0, LearningRate = {LearningRate}]");
        if (!(Momentum >= 0 && Momentum < 1)) Fail(nameof(Momentum), Momentum, "[0, 1)");
        if (Nesterov && Momentum == 0) Fail(nameof(Momentum), Momentum, "(0, 1) when Nesterov is true");
        if (!(WeightDecay >= 0 && WeightDecay < 1)) Fail(nameof(WeightDecay), WeightDecay, "[0, 1)");
        if (!Enum.IsDefined(Device)) Fail(nameof(Device), Device, "Auto, Cpu or Cuda");
        if (ShuffleWindow < 1 || ShuffleWindow > 100_000_000) Fail(nameof(ShuffleWindow), ShuffleWindow, "[1, 100000000]");
        if (DataThreads < 0 || DataThreads > 64) Fail(nameof(DataThreads), DataThreads, "[0, 64] (0: chosen by device)");
        if (!Enum.IsDefined(Precision)) Fail(nameof(Precision), Precision, "Fp32, Bf16 or Fp16");
        if (Precision == TrainingPrecision.Fp16 && Device == TrainingDevice.Cpu)
            throw new ArgumentOutOfRangeException(nameof(Precision), Precision,
                "ImageClassifierOptions.Precision = Fp16 needs a CUDA device (float16 autocast with loss scaling is a GPU mode); with Device = Cpu use Precision = Bf16 or Fp32.");
        if (PrefetchBatches < 1 || PrefetchBatches > 64) Fail(nameof(PrefetchBatches), PrefetchBatches, "[1, 64]");
        if (TorchThreads < 0 || TorchThreads > 1024) Fail(nameof(TorchThreads), TorchThreads, "[0, 1024]");
        if (ProgressInterval < 1 || ProgressInterval > 1_000_000_000) Fail(nameof(ProgressInterval), ProgressInterval, "[1, 1000000000]");
        if (EvaluationBatchSize < 1 || EvaluationBatchSize > 65536) Fail(nameof(EvaluationBatchSize), EvaluationBatchSize, "[1, 65536]");
        if (StopAfterEpochs < 0 || StopAfterEpochs > Epochs) Fail(nameof(StopAfterEpochs), StopAfterEpochs, $"[0, Epochs = {Epochs}]");
    }

    private static void Fail(string option, object value, string range) =>
        throw new ArgumentOutOfRangeException(option, value, $"ImageClassifierOptions.{option} must be in {range}; got {value}.");
}
