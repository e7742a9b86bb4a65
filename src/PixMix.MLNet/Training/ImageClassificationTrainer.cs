using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using PixMix.MLNet.Models;
using PixMix.MLNet.Transforms;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PixMix.MLNet.Training;

/// <summary>
/// Trains a TorchSharp image classifier (WideResNet, ResNet-18/50 or a small CNN) with the PixMix paper's recipe.
/// Each epoch reads the rows of <c>mlContext.Data.Augment(trainData, epoch)</c>, so PixMix transforms upstream augment
/// with fresh randomness per epoch, shuffled deterministically from (seed, epoch). Optimiser: SGD with (Nesterov)
/// momentum and weight decay, learning rate on a per-step cosine schedule. Optional validation data, checkpoints after
/// every epoch and resumption from them. Obtain one with <c>mlContext.MulticlassClassification.Trainers.ImageClassifier</c>.
/// </summary>
public sealed class ImageClassificationTrainer : IEstimator<ImageClassificationTransformer>
{
    private readonly MLContext _context;
    private readonly IChannelProvider? _log;
    private readonly ImageClassifierOptions _options;

    /// <summary>Creates the trainer; the options are copied and validated. Messages go to <paramref name="context"/>'s Log.</summary>
    public ImageClassificationTrainer(MLContext context, ImageClassifierOptions options)
        : this(context, context, options)
    {
    }

    internal ImageClassificationTrainer(MLContext context, IChannelProvider? log, ImageClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _context = context;
        _log = log;
        _options = options.Clone();
    }

    /// <summary>A copy of the options in use.</summary>
    public ImageClassifierOptions Options => _options.Clone();

    /// <summary>Trains on <paramref name="trainData"/>.</summary>
    public ImageClassificationTransformer Fit(IDataView trainData) => Fit(trainData, null);

    /// <summary>Trains on <paramref name="trainData"/>, measuring accuracy on <paramref name="validationData"/> after every epoch.</summary>
    public ImageClassificationTransformer Fit(IDataView trainData, IDataView? validationData)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        var run = new TrainingRun(_context, _log, _options, trainData, validationData);
        return run.Execute();
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var columns = inputSchema.ToDictionary(c => c.Name);
        if (!columns.TryGetValue(_options.LabelColumnName, out var label))
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Label column '{_options.LabelColumnName}' not found.");
        if (!label.IsKey || label.Kind != SchemaShape.Column.VectorKind.Scalar)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Label column '{_options.LabelColumnName}' must be a key type (use MapValueToKey); it is {label.ItemType}.");
        if (!columns.TryGetValue(_options.FeatureColumnName, out var features))
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Feature column '{_options.FeatureColumnName}' not found.");
        if (features.ItemType != NumberDataViewType.Single || features.Kind != SchemaShape.Column.VectorKind.Vector)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Feature column '{_options.FeatureColumnName}' must be a known-size vector of Single; it is {features.ItemType} ({features.Kind}).");

        // Score: a known-size float vector with the slot names and score kinds the transformer gives it (a schema shape
        // carries no sizes, so any class count describes it). PredictedLabel: the label's key type with its annotations
        // (KeyValues, whatever their type), so MapKeyToValue("PredictedLabel") can follow the trainer in a pipeline.
        // Both are made through ML.NET's public estimators: ML.NET keeps the constructors of schema shape columns internal.
        var score = SchemaShapeColumns.ScoreVector(ScoringSchema.ScoreColumnName);
        var predicted = PredictedLabelShape(inputSchema, label.Name);
        var result = inputSchema.Where(c => c.Name != ScoringSchema.ScoreColumnName && c.Name != ScoringSchema.PredictedLabelColumnName).ToList();
        result.Add(score);
        result.Add(predicted);
        return new SchemaShape(result);
    }

    // The shape of a copy of the label column under the name PredictedLabel: ML.NET's CopyColumns estimator keeps the
    // column's key type and annotations.
    private SchemaShape.Column PredictedLabelShape(SchemaShape inputSchema, string labelColumnName)
    {
        var copied = _context.Transforms.CopyColumns(ScoringSchema.PredictedLabelColumnName, labelColumnName).GetOutputSchema(inputSchema);
        return copied.Single(c => c.Name == ScoringSchema.PredictedLabelColumnName);
    }

    /// <summary>One call of Fit: resolves the data, builds or resumes the network and runs the epochs.</summary>
    private sealed class TrainingRun
    {
        private readonly MLContext _context;
        private readonly ImageClassifierOptions _options;
        private readonly IDataView _train;
        private readonly IDataView? _validation;
        private readonly IChannel? _log;

        internal TrainingRun(MLContext context, IChannelProvider? log, ImageClassifierOptions options, IDataView train, IDataView? validation)
        {
            _context = context; _options = options; _train = train; _validation = validation;
            _log = log?.Start(nameof(ImageClassificationTrainer));
        }

        private void Info(string message) => _log?.Info(MessageSensitivity.None, message);

        internal ImageClassificationTransformer Execute()
        {
            try { return ExecuteCore(); }
            finally { _log?.Dispose(); }
        }

        private ImageClassificationTransformer ExecuteCore()
        {
            var o = _options;
            var schema = _train.Schema;
            var labelColumn = schema.GetColumnOrNull(o.LabelColumnName)
                ?? throw new ArgumentOutOfRangeException("trainData", $"Label column '{o.LabelColumnName}' not found; the data has columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
            if (labelColumn.Type is not KeyDataViewType)
                throw new ArgumentOutOfRangeException("trainData", $"Label column '{o.LabelColumnName}' must be a key type (use mlContext.Transforms.Conversion.MapValueToKey); it is {labelColumn.Type}.");
            var classes = ClassLabels.FromKeyColumn(labelColumn);
            var (channels, height, width) = FeatureColumn.ResolveShape(schema, o.FeatureColumnName, o.ImageChannels, o.ImageHeight, o.ImageWidth);
            var spec = new ImageModelSpec(o.Architecture, o.Depth, o.Widen, o.Dropout, classes.Count, channels, height, width);
            spec.Validate();
            var featureColumn = FeatureColumn.Check(schema, o.FeatureColumnName, spec.ImageSize);
            if (_validation is not null) CheckValidation(spec, classes);

            var device = DeviceSelection.Resolve(o.Device);
            CheckPrecision(o, device);
            long rows = _train.GetRowCount() ?? CountRows(_train);
            if (rows < 2) throw new ArgumentOutOfRangeException("trainData", $"Training needs at least 2 rows; the data has {rows}.");
            long stepsPerEpoch = BatchPipeline.BatchesPerEpoch(rows, o.BatchSize);
            long totalSteps = stepsPerEpoch * o.Epochs;

            int previousThreads = get_num_threads();
            if (o.TorchThreads > 0) set_num_threads(o.TorchThreads);
            try
            {
                // The run's own generator: weights and dropout depend on (seed, epoch) only, not on other users of
                // torch's global generator in the process. On CUDA the dropout masks come from the CUDA generator,
                // seeded per epoch.
                using var generator = new Generator((ulong)o.Seed, CPU);
                var network = spec.CreateModule(generator);
                int startEpoch = 0;
                long step = 0;
                var history = new List<EpochSummary>();
                (double Scale, int GoodSteps)? resumedScale = null;
                string? resumePath = o.ResumeFrom is null ? null : TrainingCheckpoint.Locate(o.ResumeFrom);
                if (resumePath is not null)
                {
                    var state = TrainingCheckpoint.ReadState(resumePath);
                    CheckResumable(state, resumePath, spec, rows, totalSteps);
                    TrainingCheckpoint.ReadWeights(resumePath, network);
                    startEpoch = state.NextEpoch; step = state.Step;
                    if (state.LossScale is { } scale) resumedScale = (scale, state.LossScaleGoodSteps ?? 0);
                    Info($"Resuming from '{resumePath}' at epoch {startEpoch + 1} of {o.Epochs}, step {step} of {totalSteps}.");
                }
                network.to(device);
                if (o.ChannelsLast) MemoryFormat.Convert(network, channelsLast: true);
                network.train();
                // All parameters and gradients in two flat buffers: a step is a few operations over the whole network.
                var optimizer = new FlatSgd(network.parameters(), o.Momentum, o.WeightDecay, o.Nesterov);
                TrainingSummary summary;
                try
                {
                    if (resumePath is not null) TrainingCheckpoint.ReadOptimizer(resumePath, optimizer);
                    int endEpoch = o.StopAfterEpochs > 0 ? Math.Max(o.StopAfterEpochs, startEpoch) : o.Epochs;
                    Info($"Training {spec.Architecture} ({CountParameters(network):N0} parameters) on {device.type} for epochs {startEpoch + 1}..{endEpoch} of {o.Epochs}: " +
                        $"{rows} rows, {classes.Count} classes, images {channels}x{height}x{width}, batch {o.BatchSize}, {stepsPerEpoch} steps per epoch, " +
                        $"precision {o.Precision}{(o.ChannelsLast ? ", channels-last" : "")}, {o.ResolveDataThreads(device.type == DeviceType.CUDA)} data threads.");
                    summary = RunEpochs(network, optimizer, generator, spec, classes, featureColumn, labelColumn, device, rows,
                        startEpoch, endEpoch, step, totalSteps, history, resumedScale);
                }
                finally
                {
                    // The parameters get storage of their own again; the buffers and gradients are released.
                    optimizer.Dispose();
                }
                // The model is kept and saved in the usual contiguous format, whatever format it was trained in.
                if (o.ChannelsLast) MemoryFormat.Convert(network, channelsLast: false);
                network.eval();
                return new ImageClassificationTransformer(new NetworkRunner(network, spec, device), o.FeatureColumnName, classes,
                    o.EvaluationBatchSize, summary);
            }
            finally
            {
                if (o.TorchThreads > 0) set_num_threads(previousThreads);
            }
        }

        private TrainingSummary RunEpochs(nn.Module<Tensor, Tensor> network, FlatSgd optimizer, Generator generator, ImageModelSpec spec, ClassLabels classes,
            DataViewSchema.Column featureColumn, DataViewSchema.Column labelColumn, Device device, long rows,
            int startEpoch, int endEpoch, long step, long totalSteps, List<EpochSummary> history, (double Scale, int GoodSteps)? resumedScale)
        {
            var o = _options;
            var firstRun = new List<EpochSummary>();
            double totalSeconds = 0, totalWait = 0, totalCompute = 0, totalDeviceWait = 0;
            long totalImages = 0;
            if (startEpoch >= endEpoch)
                return new TrainingSummary(device.type.ToString().ToLowerInvariant(), startEpoch, o.Epochs, step, 0, 0, 0, 0, firstRun)
                    { Precision = o.Precision, ChannelsLast = o.ChannelsLast };

            bool cudaDevice = device.type == DeviceType.CUDA;
            int readers = o.ResolveDataThreads(cudaDevice);
            using var pipeline = new BatchPipeline(_context, _train, featureColumn, labelColumn, spec.ImageSize, classes.Count,
                rows, startEpoch, endEpoch, o, readers);
            long[] shape = [o.BatchSize, spec.Channels, spec.Height, spec.Width];
            // On CUDA each batch is copied into one pinned (page-locked) host buffer and from there to the GPU without
            // blocking the host (non_blocking). Reusing that buffer for the next batch is safe: every step ends by reading
            // its loss, which waits for the stream that did the copy.
            using var stagingImages = cudaDevice ? empty(shape, ScalarType.Float32).pin_memory() : null;
            using var stagingLabels = cudaDevice ? empty([o.BatchSize], ScalarType.Int64).pin_memory() : null;
            var scaler = o.Precision != TrainingPrecision.Fp16 ? null
                : resumedScale is { } resumed ? new GradientScaler(initialScale: resumed.Scale, goodSteps: resumed.GoodSteps) : new GradientScaler();
            // cuDNN's benchmark mode for the run (a speed setting: where it cannot be set, training goes on without it).
            IDisposable? benchmark = null;
            if (cudaDevice && o.CudnnBenchmark)
            {
                if (CudnnBenchmark.IsAvailable) benchmark = CudnnBenchmark.Use(true);
                else Info($"cuDNN benchmark mode is off: {CudnnBenchmark.UnavailableReason}");
            }
            using var restoreBenchmark = benchmark;
            long? peakMemory = null;
            var clock = Stopwatch.StartNew();
            // This run's steps (a resumed run starts at its checkpoint; StopAfterEpochs ends it early) and its clock for the
            // estimate of its length: the time per step after the first, times the steps left.
            var estimate = new RunClock(step, (endEpoch - startEpoch) * BatchPipeline.BatchesPerEpoch(rows, o.BatchSize));
            for (int epoch = startEpoch; epoch < endEpoch; epoch++)
            {
                long epochSeed = ShuffleOrder.TorchSeed(o.Seed, epoch);
                generator.manual_seed(epochSeed);
                if (device.type == DeviceType.CUDA) cuda.manual_seed_all(epochSeed);
                double epochLoss = 0; long epochCorrect = 0, epochImages = 0;
                double epochWait = 0, epochCompute = 0, epochDeviceWait = 0;
                double windowLoss = 0; long windowSteps = 0, windowImages = 0, windowCorrect = 0;
                double windowWait = 0, windowStart = clock.Elapsed.TotalSeconds;
                double epochStart = windowStart;
                double lr = o.LearningRate;
                bool endOfEpoch = false;
                while (!endOfEpoch)
                {
                    o.CancellationToken.ThrowIfCancellationRequested();
                    double waitStart = clock.Elapsed.TotalSeconds;
                    var batch = NextBatch(pipeline.Batches, o.CancellationToken);
                    double computeStart = clock.Elapsed.TotalSeconds;
                    epochWait += computeStart - waitStart; windowWait += computeStart - waitStart;
                    if (batch.Epoch != epoch) throw new InvalidOperationException($"The data pipeline delivered epoch {batch.Epoch} while epoch {epoch} was expected.");

                    lr = CosineLearningRate.At(step, totalSteps, o.LearningRate, o.MinLearningRate);
                    float loss;
                    long correct;
                    using (var scope = NewDisposeScope())
                    {
                        Tensor images, labels;
                        if (cudaDevice)
                        {
                            HostStaging.CopyInto(stagingImages!, batch.Images.AsSpan(0, batch.Count * spec.ImageSize));
                            HostStaging.CopyInto(stagingLabels!, batch.Labels.AsSpan(0, batch.Count));
                            images = stagingImages!.narrow(0, 0, batch.Count).to(device, non_blocking: true);
                            labels = stagingLabels!.narrow(0, 0, batch.Count).to(device, non_blocking: true);
                        }
                        else
                        {
                            images = tensor(batch.Images, shape);
                            labels = tensor(batch.Labels, [o.BatchSize]);
                            if (batch.Count < o.BatchSize) { images = images.narrow(0, 0, batch.Count); labels = labels.narrow(0, 0, batch.Count); }
                        }
                        if (o.ChannelsLast) images = MemoryFormat.ToChannelsLast(images);
                        optimizer.ZeroGrad();
                        Tensor logits, lossTensor;
                        using (o.Precision == TrainingPrecision.Fp32 ? null : Autocast.Enter(device.type, o.Precision == TrainingPrecision.Bf16 ? ScalarType.BFloat16 : ScalarType.Float16))
                        {
                            logits = network.forward(images);
                            lossTensor = nn.functional.cross_entropy(logits, labels);
                        }
                        // No value is read back before the backward pass and the step are queued: on CUDA the host runs ahead of
                        // the GPU until the one transfer at the end of the step.
                        var correctTensor = logits.detach().argmax(1).eq(labels).sum();
                        Tensor readBack;
                        if (scaler is null)
                        {
                            lossTensor.backward();
                            optimizer.Step(lr);
                            readBack = ReadBack(stack([lossTensor.detach().to(ScalarType.Float32), correctTensor.to(ScalarType.Float32)]), clock, ref epochDeviceWait);
                        }
                        else
                        {
                            scaler.ScaleLoss(lossTensor).backward();
                            var finite = scaler.UnscaleAndCheck([optimizer.Gradients], device);
                            readBack = ReadBack(stack([lossTensor.detach().to(ScalarType.Float32), correctTensor.to(ScalarType.Float32), finite.to(ScalarType.Float32)]), clock, ref epochDeviceWait);
                            bool ok = readBack.data<float>()[2] != 0;
                            if (ok) optimizer.Step(lr);
                            if (!scaler.Update(ok))
                                throw new InvalidOperationException($"Training in Fp16 diverged: the last {scaler.SkippedInARow} steps had infinite or NaN gradients and were skipped, and the loss scale fell to {scaler.Scale:G3}, below 1 (the gradients are not finite even unscaled); the loss is {readBack.data<float>()[0]} at epoch {epoch + 1} (of {o.Epochs}), step {step + 1} (of {totalSteps}), learning rate {lr:G4}. Use Precision = Bf16 (float16's range is too small for this network's activations) or lower LearningRate, and check the inputs for NaN/Inf values.");
                        }
                        var values = readBack.data<float>();
                        loss = values[0];
                        correct = (long)values[1];
                        if (!float.IsFinite(loss) && scaler is null)
                            throw new InvalidOperationException($"Training diverged: the loss is {loss} at epoch {epoch + 1} (of {o.Epochs}), step {step + 1} (of {totalSteps}), learning rate {lr:G4}. Lower LearningRate or check the inputs for NaN/Inf values.");
                        if (cudaDevice && CudaDriver.MemoryInUse() is long inUse) peakMemory = Math.Max(peakMemory ?? 0, inUse);
                    }
                    endOfEpoch = batch.EndOfEpoch;
                    int count = batch.Count;
                    pipeline.Return(batch);
                    step++;
                    double now = clock.Elapsed.TotalSeconds;
                    estimate.Stepped(step, now);
                    epochCompute += now - computeStart;
                    epochLoss += loss * count; epochImages += count; epochCorrect += correct;
                    windowLoss += loss; windowSteps++; windowImages += count; windowCorrect += correct;
                    if (!estimate.Announced && (estimate.RunSteps >= 1 + RunEstimate.StepsBeforeEstimate || endOfEpoch))
                    {
                        estimate.Announced = true;
                        double sinceEpoch = Math.Max(now - epochStart, 1e-9);
                        Report(new TrainingProgress(TrainingProgressKind.Estimate, epoch, o.Epochs, step, totalSteps, epochLoss / epochImages, lr,
                            epochImages / sinceEpoch, epochWait / sinceEpoch, (double)epochCorrect / epochImages, null)
                            { ElapsedSeconds = now, SecondsLeft = estimate.SecondsLeft(now) });
                        if (RunEstimate.LongRunNotice(now + estimate.SecondsLeft(now), CheaperOptions(o, device)) is { } notice)
                            _log?.Warning(MessageSensitivity.None, notice);
                    }
                    if (step % o.ProgressInterval == 0 && !endOfEpoch)
                    {
                        double span = Math.Max(now - windowStart, 1e-9);
                        Report(new TrainingProgress(TrainingProgressKind.Step, epoch, o.Epochs, step, totalSteps, windowLoss / windowSteps, lr,
                            windowImages / span, windowWait / span, (double)epochCorrect / epochImages, null)
                            { ElapsedSeconds = now, SecondsLeft = estimate.SecondsLeft(now) });
                        windowLoss = 0; windowSteps = 0; windowImages = 0; windowCorrect = 0; windowWait = 0; windowStart = now;
                    }
                }
                double seconds = clock.Elapsed.TotalSeconds - epochStart;
                double? validationAccuracy = _validation is null ? null : Evaluate(network, spec, device);
                var summary = new EpochSummary(epoch, epochLoss / epochImages, (double)epochCorrect / epochImages, validationAccuracy,
                    seconds, epochWait, epochImages) { DeviceWaitSeconds = epochDeviceWait };
                history.Add(summary); firstRun.Add(summary);
                totalSeconds += seconds; totalWait += epochWait; totalCompute += epochCompute; totalDeviceWait += epochDeviceWait; totalImages += epochImages;
                double epochEnd = clock.Elapsed.TotalSeconds;
                Report(new TrainingProgress(TrainingProgressKind.EpochEnd, epoch, o.Epochs, step, totalSteps, summary.Loss, lr,
                    epochImages / Math.Max(seconds, 1e-9), epochWait / Math.Max(seconds, 1e-9), summary.TrainAccuracy, validationAccuracy)
                    { ElapsedSeconds = epochEnd, SecondsLeft = estimate.SecondsLeft(epochEnd) });
                if (o.CheckpointDirectory is not null)
                {
                    var state = new TrainingCheckpoint.State
                    {
                        FormatVersion = TrainingCheckpoint.FormatVersion,
                        NextEpoch = epoch + 1,
                        Step = step,
                        TotalSteps = totalSteps,
                        Rows = rows,
                        Seed = o.Seed,
                        NextTorchSeed = ShuffleOrder.TorchSeed(o.Seed, epoch + 1),
                        Spec = spec,
                        ClassValueType = classes.ValueType,
                        ClassValues = classes.Values,
                        Options = o,
                        History = history,
                        LossScale = scaler?.Scale,
                        LossScaleGoodSteps = scaler?.GoodSteps,
                    };
                    var path = TrainingCheckpoint.Write(o.CheckpointDirectory, state, network, optimizer);
                    Info($"Checkpoint written: {path}");
                }
            }
            return new TrainingSummary(device.type.ToString().ToLowerInvariant(), startEpoch, o.Epochs, step, totalImages,
                totalSeconds, totalWait, totalCompute, firstRun)
            {
                Precision = o.Precision, ChannelsLast = o.ChannelsLast, DataThreads = readers, DeviceWaitSeconds = totalDeviceWait,
                CudnnBenchmark = benchmark is not null,
                DeviceName = cudaDevice ? CudaDriver.DeviceName() ?? "cuda" : CudaDriver.CpuName(),
                PeakGpuMemoryBytes = cudaDevice ? peakMemory : null,
                SkippedSteps = scaler?.SkippedSteps ?? 0,
            };
        }

        // An invalid precision for the resolved device is the Precision option's fault: say so, naming it.
        private static void CheckPrecision(ImageClassifierOptions o, Device device)
        {
            if (o.Precision == TrainingPrecision.Fp16 && device.type != DeviceType.CUDA)
                throw new ArgumentOutOfRangeException(nameof(ImageClassifierOptions.Precision), o.Precision,
                    $"ImageClassifierOptions.Precision = Fp16 needs a CUDA device (float16 autocast with loss scaling is a GPU mode), but Device = {o.Device} resolved to {device.type}; use Precision = Bf16 or Fp32 on the CPU.");
            if (o.Precision != TrainingPrecision.Fp32 && !Autocast.IsAvailable)
                throw new NotSupportedException($"ImageClassifierOptions.Precision = {o.Precision} needs LibTorch's autocast, which is not available here: {Autocast.UnavailableReason}");
        }

        private static TrainingBatch NextBatch(ChannelReader<TrainingBatch> reader, CancellationToken token)
        {
            try
            {
                var pending = reader.ReadAsync(token);
                return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            }
            catch (ChannelClosedException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
            catch (ChannelClosedException e)
            {
                throw new InvalidOperationException("The training data pipeline ended before the epoch did.", e);
            }
        }

        // ML.NET's trainers log their progress through their channel: a message per epoch (Info) and the step reports
        // and the first estimate as Trace, so a listener on MLContext.Log sees "epoch n/N, loss x, images/s y, ETA z".
        private void Report(TrainingProgress progress)
        {
            _options.Progress?.Report(progress);
            if (progress.Kind == TrainingProgressKind.EpochEnd) Info(progress.ToString());
            else _log?.Trace(MessageSensitivity.None, progress.Kind == TrainingProgressKind.Estimate
                ? $"estimated {RunEstimate.Duration(progress.SecondsLeft)} left after {progress.Step} step(s): {progress}"
                : progress.ToString());
        }

        // The cheaper settings a long run's notice names, in the options' own words.
        private static string CheaperOptions(ImageClassifierOptions o, Device device)
        {
            var choices = new List<string>();
            if (o.Architecture != ModelArchitecture.SmallCnn) choices.Add($"a smaller network (Architecture = SmallCnn; this run trains {o.Architecture})");
            choices.Add($"fewer Epochs (now {o.Epochs})");
            if (device.type != DeviceType.CUDA) choices.Add("a CUDA device (Device = Cuda)");
            return (choices.Count == 1 ? choices[0] : string.Join(", ", choices.Take(choices.Count - 1)) + " or " + choices[^1]) + " takes much less time";
        }

        /// <summary>Counts a run's steps and times them for its estimate: the first step pays one-time costs and is left out.</summary>
        private sealed class RunClock(long firstStep, long runSteps)
        {
            private double _firstStepEnd = double.NaN;

            public long RunSteps { get; private set; }
            public bool Announced { get; set; }

            public void Stepped(long step, double now)
            {
                RunSteps = step - firstStep;
                if (RunSteps == 1) _firstStepEnd = now;
            }

            /// <summary>Seconds left at <paramref name="now"/>; with one step done, that step's time stands for all.</summary>
            public double? SecondsLeft(double now) => RunSteps >= 2
                ? RunEstimate.SecondsLeft(now - _firstStepEnd, RunSteps - 1, runSteps - RunSteps)
                : RunEstimate.SecondsLeft(now, RunSteps, runSteps - RunSteps);
        }

        private double Evaluate(nn.Module<Tensor, Tensor> network, ImageModelSpec spec, Device device)
        {
            var validation = _validation!;
            var features = validation.Schema[_options.FeatureColumnName];
            var label = validation.Schema[_options.LabelColumnName];
            int batchSize = _options.EvaluationBatchSize;
            var runner = new NetworkRunner(network, spec, device); // switches the network to evaluation mode
            var images = new float[batchSize * spec.ImageSize];
            var probabilities = new float[batchSize * spec.Classes];
            var labels = new long[batchSize];
            long correct = 0, total = 0;
            try
            {
                using var cursor = validation.GetRowCursor([features, label]);
                var getFeatures = cursor.GetGetter<VBuffer<float>>(features);
                var getLabel = FeatureColumn.KeyReader(cursor, label);
                VBuffer<float> row = default;
                int count = 0;
                bool more = true;
                while (more)
                {
                    more = cursor.MoveNext();
                    if (more)
                    {
                        ulong key = getLabel();
                        if (key == 0) continue; // rows without a label do not count
                        getFeatures(ref row);
                        FeatureColumn.CopyTo(row, images.AsSpan(count * spec.ImageSize, spec.ImageSize), features.Name);
                        labels[count++] = (long)key - 1;
                    }
                    if (count == batchSize || (!more && count > 0))
                    {
                        runner.Probabilities(images, count, probabilities);
                        for (int i = 0; i < count; i++)
                        {
                            var scores = probabilities.AsSpan(i * spec.Classes, spec.Classes);
                            int best = 0;
                            for (int c = 1; c < scores.Length; c++) if (scores[c] > scores[best]) best = c;
                            if (best == labels[i]) correct++;
                        }
                        total += count; count = 0;
                    }
                }
            }
            finally
            {
                network.train();
            }
            return total == 0 ? 0 : (double)correct / total;
        }

        private void CheckValidation(ImageModelSpec spec, ClassLabels classes)
        {
            var schema = _validation!.Schema;
            FeatureColumn.Check(schema, _options.FeatureColumnName, spec.ImageSize);
            var label = schema.GetColumnOrNull(_options.LabelColumnName)
                ?? throw new ArgumentOutOfRangeException("validationData", $"Label column '{_options.LabelColumnName}' not found in the validation data.");
            if (label.Type is not KeyDataViewType key || key.Count != (ulong)classes.Count)
                throw new ArgumentOutOfRangeException("validationData",
                    $"Validation label column '{_options.LabelColumnName}' must be a key type with {classes.Count} values like the training label; it is {label.Type}. Map both with the same fitted MapValueToKey.");
        }

        // A checkpoint that does not fit this run is bad input (the ResumeFrom file), not a failure of the trainer.
        /// <summary>
        /// Copies a step's packed values to the host and adds the time it took to <paramref name="deviceWait"/>: on CUDA the
        /// host has queued the whole step by then, so this is the time it waits for the GPU (near 0 when launching the
        /// work, not running it, limits the step); on the CPU the work is already done and it is near 0 too.
        /// </summary>
        private static Tensor ReadBack(Tensor packed, Stopwatch clock, ref double deviceWait)
        {
            double start = clock.Elapsed.TotalSeconds;
            var host = packed.cpu();
            deviceWait += clock.Elapsed.TotalSeconds - start;
            return host;
        }

        private void CheckResumable(TrainingCheckpoint.State state, string path, ImageModelSpec spec, long rows, long totalSteps)
        {
            if (state.Spec != spec)
                throw new PixMix.Imaging.Data.InvalidInputDataException($"Checkpoint '{path}' is of a different network ({state.Spec}) than the options and data describe ({spec}).", path);
            if (state.Seed != _options.Seed)
                throw new PixMix.Imaging.Data.InvalidInputDataException($"Checkpoint '{path}' was trained with Seed {state.Seed}; the options say {_options.Seed}.", path);
            if (state.Rows != rows || state.TotalSteps != totalSteps)
                throw new PixMix.Imaging.Data.InvalidInputDataException($"Checkpoint '{path}' was trained on {state.Rows} rows with a {state.TotalSteps}-step schedule; this run has {rows} rows and {totalSteps} steps (Epochs, BatchSize or the data differ).", path);
            if (state.NextEpoch > _options.Epochs)
                throw new PixMix.Imaging.Data.InvalidInputDataException($"Checkpoint '{path}' is after epoch {state.NextEpoch}, beyond Epochs = {_options.Epochs}.", path);
        }

        private static long CountRows(IDataView data)
        {
            long count = 0;
            using var cursor = data.GetRowCursor([]);
            while (cursor.MoveNext()) count++;
            return count;
        }

        private static long CountParameters(nn.Module module) => module.parameters().Sum(p => p.numel());
    }
}
