using System.Diagnostics;

namespace PixMix.MLNet.Training;

/// <summary>
/// One optimisation step of cifar.py's <c>train()</c>: forward, cross-entropy, backward, SGD step, and the step's loss
/// and correct predictions read back. What the device and precision modes need is kept inside: the batch staged in a
/// pinned host buffer on CUDA, channels-last input, LibTorch's autocast (Bf16, Fp16), dynamic loss scaling (Fp16) and
/// cuDNN's benchmark mode for the run.
/// </summary>
internal sealed class TrainStep : IDisposable
{
    private readonly TrainingPlan _plan;
    private readonly TrainedNetwork _model;
    private readonly long[] _shape;
    private readonly Tensor? _stagingImages, _stagingLabels;
    private readonly IDisposable? _benchmark;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    internal TrainStep(TrainingPlan plan, TrainedNetwork model, (double Scale, int GoodSteps)? resumedScale, Action<string> info)
    {
        _plan = plan; _model = model;
        var o = plan.Options;
        _shape = [o.BatchSize, plan.Spec.Channels, plan.Spec.Height, plan.Spec.Width];
        // On CUDA each batch is copied into one pinned (page-locked) host buffer and from there to the GPU without
        // blocking the host (non_blocking). Reusing that buffer for the next batch is safe: every step ends by reading
        // its loss, which waits for the stream that did the copy.
        if (plan.OnCuda)
        {
            _stagingImages = empty(_shape, ScalarType.Float32).pin_memory();
            _stagingLabels = empty([o.BatchSize], ScalarType.Int64).pin_memory();
        }
        Scaler = o.Precision != TrainingPrecision.Fp16 ? null
            : resumedScale is { } resumed ? new GradientScaler(initialScale: resumed.Scale, goodSteps: resumed.GoodSteps) : new GradientScaler();
        // cuDNN's benchmark mode for the run (a speed setting: where it cannot be set, training goes on without it).
        if (plan.OnCuda && o.CudnnBenchmark)
        {
            if (TorchSupport.CudnnBenchmark.IsAvailable) _benchmark = TorchSupport.CudnnBenchmark.Use(true);
            else info($"cuDNN benchmark mode is off: {TorchSupport.CudnnBenchmark.UnavailableReason}");
        }
    }

    /// <summary>Fp16's loss scaler; null in other precisions.</summary>
    internal GradientScaler? Scaler { get; }

    /// <summary>Whether cuDNN's benchmark mode is on for the run.</summary>
    internal bool BenchmarkMode => _benchmark is not null;

    /// <summary>The most GPU memory in use after a step; null on the CPU.</summary>
    internal long? PeakGpuMemoryBytes { get; private set; }

    /// <summary>Seeds the run's generator (and on CUDA, CUDA's) for <paramref name="epoch"/>: dropout depends on (seed, epoch) only.</summary>
    internal void BeginEpoch(int epoch)
    {
        long epochSeed = ShuffleOrder.TorchSeed(_plan.Options.Seed, epoch);
        _model.Generator.manual_seed(epochSeed);
        if (_plan.OnCuda) cuda.manual_seed_all(epochSeed);
    }

    /// <summary>Trains on <paramref name="batch"/> with learning rate <paramref name="lr"/> (step <paramref name="step"/> of epoch <paramref name="epoch"/>, for messages).</summary>
    internal StepResult Run(TrainingBatch batch, double lr, int epoch, long step)
    {
        var o = _plan.Options;
        var (network, optimizer) = (_model.Network, _model.Optimizer);
        using var scope = NewDisposeScope();
        var (images, labels) = ToDevice(batch);
        optimizer.ZeroGrad();
        Tensor logits, loss;
        using (o.Precision == TrainingPrecision.Fp32 ? null : Autocast.Enter(_plan.Device.type, o.Precision == TrainingPrecision.Bf16 ? ScalarType.BFloat16 : ScalarType.Float16))
        {
            logits = network.forward(images);
            loss = nn.functional.cross_entropy(logits, labels);
        }
        // No value is read back before the backward pass and the step are queued: on CUDA the host runs ahead of the GPU
        // until the one transfer at the end of the step.
        var correct = logits.detach().argmax(1).eq(labels).sum();
        (float Loss, float Correct, float Finite, double Seconds) values;
        if (Scaler is null)
        {
            loss.backward();
            optimizer.Step(lr);
            values = ReadBack(loss, correct);
            if (!float.IsFinite(values.Loss))
                throw new InvalidOperationException($"Training diverged: the loss is {values.Loss} at epoch {epoch + 1} (of {o.Epochs}), step {step + 1} (of {_plan.TotalSteps}), learning rate {lr:G4}. Lower LearningRate or check the inputs for NaN/Inf values.");
        }
        else
        {
            Scaler.ScaleLoss(loss).backward();
            var finite = Scaler.UnscaleAndCheck([optimizer.Gradients], _plan.Device);
            values = ReadBack(loss, correct, finite);
            bool ok = values.Finite != 0;
            if (ok) optimizer.Step(lr);
            if (!Scaler.Update(ok))
                throw new InvalidOperationException($"Training in Fp16 diverged: the last {Scaler.SkippedInARow} steps had infinite or NaN gradients and were skipped, and the loss scale fell to {Scaler.Scale:G3}, below 1 (the gradients are not finite even unscaled); the loss is {values.Loss} at epoch {epoch + 1} (of {o.Epochs}), step {step + 1} (of {_plan.TotalSteps}), learning rate {lr:G4}. Use Precision = Bf16 (float16's range is too small for this network's activations) or lower LearningRate, and check the inputs for NaN/Inf values.");
        }
        if (_plan.OnCuda && CudaDriver.MemoryInUse() is long inUse) PeakGpuMemoryBytes = Math.Max(PeakGpuMemoryBytes ?? 0, inUse);
        return new StepResult(values.Loss, (long)values.Correct, values.Seconds);
    }

    // The batch as tensors on the device: through the pinned staging buffers on CUDA, over the batch's own arrays on the CPU.
    private (Tensor Images, Tensor Labels) ToDevice(TrainingBatch batch)
    {
        var o = _plan.Options;
        Tensor images, labels;
        if (_stagingImages is not null)
        {
            HostStaging.CopyInto(_stagingImages, batch.Images.AsSpan(0, batch.Count * _plan.Spec.ImageSize));
            HostStaging.CopyInto(_stagingLabels!, batch.Labels.AsSpan(0, batch.Count));
            images = _stagingImages.narrow(0, 0, batch.Count).to(_plan.Device, non_blocking: true);
            labels = _stagingLabels!.narrow(0, 0, batch.Count).to(_plan.Device, non_blocking: true);
        }
        else
        {
            images = tensor(batch.Images, _shape);
            labels = tensor(batch.Labels, [o.BatchSize]);
            if (batch.Count < o.BatchSize) { images = images.narrow(0, 0, batch.Count); labels = labels.narrow(0, 0, batch.Count); }
        }
        if (o.ChannelsLast) images = MemoryFormat.ToChannelsLast(images);
        return (images, labels);
    }

    /// <summary>
    /// Copies the step's loss, correct count (and Fp16's finite flag) to the host in one transfer, timing it: on CUDA the
    /// host has queued the whole step by then, so this is the time it waits for the GPU (near 0 when launching the work,
    /// not running it, limits the step); on the CPU the work is already done and it is near 0 too.
    /// </summary>
    private (float Loss, float Correct, float Finite, double Seconds) ReadBack(Tensor loss, Tensor correct, Tensor? finite = null)
    {
        var packed = finite is null
            ? stack([loss.detach().to(ScalarType.Float32), correct.to(ScalarType.Float32)])
            : stack([loss.detach().to(ScalarType.Float32), correct.to(ScalarType.Float32), finite.to(ScalarType.Float32)]);
        double start = _clock.Elapsed.TotalSeconds;
        var host = packed.cpu();
        double seconds = _clock.Elapsed.TotalSeconds - start;
        var values = host.data<float>();
        return (values[0], values[1], finite is null ? 1 : values[2], seconds);
    }

    public void Dispose()
    {
        _benchmark?.Dispose();
        _stagingImages?.Dispose();
        _stagingLabels?.Dispose();
    }
}
