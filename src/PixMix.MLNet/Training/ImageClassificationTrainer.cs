using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.ML.Runtime;
using PixMix.MLNet.Transforms;

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
    private readonly IChannelProvider? _log;
    private readonly ImageClassifierOptions _options;

    /// <summary>Creates the trainer; the options are copied and validated. Messages go to <paramref name="context"/>'s Log.</summary>
    public ImageClassificationTrainer(MLContext context, ImageClassifierOptions options)
        : this((IChannelProvider)(context ?? throw new ArgumentNullException(nameof(context))), options)
    {
    }

    /// <summary>
    /// The trainer of a catalog: <paramref name="log"/> is the environment of the user's <c>MLContext</c> (its channels
    /// feed that context's Log); null where ML.NET no longer lets it be found, and then nothing is logged.
    /// </summary>
    internal ImageClassificationTrainer(IChannelProvider? log, ImageClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
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
        var run = new TrainingRun(_log, _options, trainData, validationData);
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
    private static SchemaShape.Column PredictedLabelShape(SchemaShape inputSchema, string labelColumnName) =>
        SchemaShapeColumns.Copy(inputSchema, ScoringSchema.PredictedLabelColumnName, labelColumnName);

    /// <summary>One call of Fit: resolves the data, builds or resumes the network and runs the epochs.</summary>
    private sealed class TrainingRun
    {
        private readonly ImageClassifierOptions _options;
        private readonly IDataView _train;
        private readonly IDataView? _validation;
        private readonly IChannel? _log;

        internal TrainingRun(IChannelProvider? log, ImageClassifierOptions options, IDataView train, IDataView? validation)
        {
            _options = options; _train = train; _validation = validation;
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
            var plan = Plan();
            int previousThreads = get_num_threads();
            if (o.TorchThreads > 0) set_num_threads(o.TorchThreads);
            try
            {
                // The run's own generator: weights and dropout depend on (seed, epoch) only, not on other users of
                // torch's global generator in the process. On CUDA the dropout masks come from the CUDA generator,
                // seeded per epoch.
                using var generator = new Generator((ulong)o.Seed, CPU);
                var network = plan.Spec.CreateModule(generator);
                var start = new TrainingStart(0, 0, null);
                string? resumePath = o.ResumeFrom is null ? null : TrainingCheckpoint.Locate(o.ResumeFrom);
                if (resumePath is not null)
                {
                    var state = TrainingCheckpoint.ReadState(resumePath);
                    CheckResumable(state, resumePath, plan);
                    TrainingCheckpoint.ReadWeights(resumePath, network);
                    start = new TrainingStart(state.NextEpoch, state.Step,
                        state.LossScale is { } scale ? (scale, state.LossScaleGoodSteps ?? 0) : null);
                    Info($"Resuming from '{resumePath}' at epoch {start.Epoch + 1} of {o.Epochs}, step {start.Step} of {plan.TotalSteps}.");
                }
                network.to(plan.Device);
                if (o.ChannelsLast) MemoryFormat.Convert(network, channelsLast: true);
                network.train();
                // All parameters and gradients in two flat buffers: a step is a few operations over the whole network.
                var optimizer = new FlatSgd(network.parameters(), o.Momentum, o.WeightDecay, o.Nesterov);
                TrainingSummary summary;
                try
                {
                    if (resumePath is not null) TrainingCheckpoint.ReadOptimizer(resumePath, optimizer);
                    int endEpoch = o.StopAfterEpochs > 0 ? Math.Max(o.StopAfterEpochs, start.Epoch) : o.Epochs;
                    var spec = plan.Spec;
                    Info($"Training {spec.Architecture} ({CountParameters(network):N0} parameters) on {plan.Device.type} for epochs {start.Epoch + 1}..{endEpoch} of {o.Epochs}: " +
                        $"{plan.Rows} rows, {plan.Classes.Count} classes, images {spec.Channels}x{spec.Height}x{spec.Width}, batch {o.BatchSize}, {plan.StepsPerEpoch} steps per epoch, " +
                        $"precision {o.Precision}{(o.ChannelsLast ? ", channels-last" : "")}, {o.ResolveDataThreads(plan.OnCuda)} data threads.");
                    summary = RunEpochs(plan, new TrainedNetwork(network, optimizer, generator), start, endEpoch);
                }
                finally
                {
                    // The parameters get storage of their own again; the buffers and gradients are released.
                    optimizer.Dispose();
                }
                // The model is kept and saved in the usual contiguous format, whatever format it was trained in.
                if (o.ChannelsLast) MemoryFormat.Convert(network, channelsLast: false);
                network.eval();
                return new ImageClassificationTransformer(new NetworkRunner(network, plan.Spec, plan.Device), o.FeatureColumnName, plan.Classes,
                    o.EvaluationBatchSize, summary);
            }
            finally
            {
                if (o.TorchThreads > 0) set_num_threads(previousThreads);
            }
        }

        // Checks the data against the options and resolves what the run trains: the network, the classes, the device.
        private TrainingPlan Plan()
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
            return new TrainingPlan(o, spec, classes, device, featureColumn, labelColumn, rows);
        }

        // The epoch loop of cifar.py's train(): for each epoch, every batch through one TrainStep at the cosine schedule's
        // learning rate, the meter timing and reporting around it; then validation and a checkpoint.
        private TrainingSummary RunEpochs(TrainingPlan plan, TrainedNetwork model, TrainingStart start, int endEpoch)
        {
            var o = plan.Options;
            if (start.Epoch >= endEpoch) return EpochMeter.EmptyRun(plan, start);
            int readers = o.ResolveDataThreads(plan.OnCuda);
            using var pipeline = new BatchPipeline(_train, plan, start.Epoch, endEpoch, readers);
            using var trainStep = new TrainStep(plan, model, start.LossScale, Info);
            var meter = new EpochMeter(plan, start.Step, (endEpoch - start.Epoch) * plan.StepsPerEpoch, _log);
            long step = start.Step;
            for (int epoch = start.Epoch; epoch < endEpoch; epoch++)
            {
                trainStep.BeginEpoch(epoch);
                meter.BeginEpoch(epoch);
                for (bool endOfEpoch = false; !endOfEpoch;)
                {
                    o.CancellationToken.ThrowIfCancellationRequested();
                    meter.Waiting();
                    var batch = pipeline.Next(epoch, o.CancellationToken);
                    meter.Computing();
                    double lr = CosineLearningRate.At(step, plan.TotalSteps, o.LearningRate, o.MinLearningRate);
                    var result = trainStep.Run(batch, lr, epoch, step);
                    (int images, endOfEpoch) = (batch.Count, batch.EndOfEpoch);
                    pipeline.Return(batch);
                    meter.Stepped(++step, lr, result, images, endOfEpoch);
                }
                meter.EndEpoch(() => _validation is null ? null : Validate(plan, model.Network));
                if (o.CheckpointDirectory is not null)
                    Info($"Checkpoint written: {TrainingCheckpoint.Write(o.CheckpointDirectory, meter.Record(trainStep.Scaler), model.Network, model.Optimizer)}");
            }
            return meter.Summary(readers, trainStep);
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

        // Validation accuracy: the validation data scored as the fitted classifier scores it (ScoredDataView in batches of
        // EvaluationBatchSize, the network in evaluation mode), counting the rows whose PredictedLabel is their label.
        // Rows without a label do not count.
        private double Validate(TrainingPlan plan, nn.Module<Tensor, Tensor> network)
        {
            var validation = _validation!;
            var runner = new NetworkRunner(network, plan.Spec, plan.Device); // switches the network to evaluation mode
            long correct = 0, total = 0;
            try
            {
                var schema = new ScoringSchema(validation.Schema, _options.FeatureColumnName, plan.Spec.ImageSize, plan.Classes);
                var scored = new ScoredDataView(validation, schema, plan.Spec, runner, _options.EvaluationBatchSize);
                var label = scored.Schema[validation.Schema[_options.LabelColumnName].Index];
                using var cursor = scored.GetRowCursor([label, scored.Schema[schema.PredictedLabelIndex]]);
                var getLabel = FeatureColumn.KeyReader(cursor, label);
                var getPredicted = cursor.GetGetter<uint>(scored.Schema[schema.PredictedLabelIndex]);
                uint predicted = 0;
                while (cursor.MoveNext())
                {
                    ulong key = getLabel();
                    if (key == 0) continue;
                    getPredicted(ref predicted);
                    if (predicted == key) correct++;
                    total++;
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
        private void CheckResumable(TrainingCheckpoint.State state, string path, TrainingPlan plan)
        {
            var (spec, rows, totalSteps) = (plan.Spec, plan.Rows, plan.TotalSteps);
            if (state.Spec != spec)
                throw new PixMix.Imaging.Core.InvalidInputDataException($"Checkpoint '{path}' is of a different network ({state.Spec}) than the options and data describe ({spec}).", path);
            if (state.Seed != _options.Seed)
                throw new PixMix.Imaging.Core.InvalidInputDataException($"Checkpoint '{path}' was trained with Seed {state.Seed}; the options say {_options.Seed}.", path);
            if (state.Rows != rows || state.TotalSteps != totalSteps)
                throw new PixMix.Imaging.Core.InvalidInputDataException($"Checkpoint '{path}' was trained on {state.Rows} rows with a {state.TotalSteps}-step schedule; this run has {rows} rows and {totalSteps} steps (Epochs, BatchSize or the data differ).", path);
            if (state.NextEpoch > _options.Epochs)
                throw new PixMix.Imaging.Core.InvalidInputDataException($"Checkpoint '{path}' is after epoch {state.NextEpoch}, beyond Epochs = {_options.Epochs}.", path);
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
