using System.Diagnostics;
using Microsoft.ML.Runtime;

namespace PixMix.MLNet.Training;

/// <summary>
/// The clock and record of a training run: the time the loop waits for batches, computes and waits for the device,
/// per epoch and for the run; the loss and accuracy of each progress window and epoch; the first estimate of the run's
/// length. It reports them to <see cref="ImageClassifierOptions.Progress"/> and the log, and gives the per-epoch
/// history, the checkpoint's record and the run's <see cref="TrainingSummary"/>.
/// </summary>
internal sealed class EpochMeter
{
    private readonly TrainingPlan _plan;
    private readonly IChannel? _log;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly RunClock _estimate;
    private readonly List<EpochSummary> _history = [];
    private double _totalSeconds, _totalWait, _totalCompute, _totalDeviceWait;
    private long _totalImages;

    private int _epoch;
    private long _step;
    private double _lr;
    private double _epochStart, _epochLoss, _epochWait, _epochCompute, _epochDeviceWait;
    private long _epochCorrect, _epochImages;
    private double _windowStart, _windowLoss, _windowWait;
    private long _windowSteps, _windowImages;
    private double _waitStart, _computeStart;

    /// <summary>A meter for a run of <paramref name="runSteps"/> steps from step <paramref name="firstStep"/>.</summary>
    internal EpochMeter(TrainingPlan plan, long firstStep, long runSteps, IChannel? log)
    {
        _plan = plan; _log = log; _step = firstStep;
        _estimate = new RunClock(firstStep, runSteps);
    }

    /// <summary>The summary of a run that had no epoch left to train (resumed at its end, or stopped before it began).</summary>
    internal static TrainingSummary EmptyRun(TrainingPlan plan, TrainingStart start) =>
        new(plan.DeviceKind, start.Epoch, plan.Options.Epochs, start.Step, 0, 0, 0, 0, [])
            { Precision = plan.Options.Precision, ChannelsLast = plan.Options.ChannelsLast };

    private double Now => _clock.Elapsed.TotalSeconds;

    /// <summary>Starts epoch <paramref name="epoch"/>'s clock and counts.</summary>
    internal void BeginEpoch(int epoch)
    {
        _epoch = epoch;
        _epochLoss = 0; _epochCorrect = 0; _epochImages = 0;
        _epochWait = 0; _epochCompute = 0; _epochDeviceWait = 0;
        ResetWindow(_epochStart = Now);
        _lr = _plan.Options.LearningRate;
    }

    /// <summary>The loop starts waiting for a batch.</summary>
    internal void Waiting() => _waitStart = Now;

    /// <summary>A batch arrived: the wait ends and the step's computation begins.</summary>
    internal void Computing()
    {
        _computeStart = Now;
        _epochWait += _computeStart - _waitStart; _windowWait += _computeStart - _waitStart;
    }

    /// <summary>Step <paramref name="step"/> (counted from the schedule's start) trained <paramref name="images"/> images at <paramref name="lr"/>.</summary>
    internal void Stepped(long step, double lr, StepResult result, int images, bool endOfEpoch)
    {
        var o = _plan.Options;
        _step = step; _lr = lr;
        double now = Now;
        _estimate.Stepped(step, now);
        _epochCompute += now - _computeStart;
        _epochDeviceWait += result.DeviceWaitSeconds;
        _epochLoss += result.Loss * images; _epochImages += images; _epochCorrect += result.Correct;
        _windowLoss += result.Loss; _windowSteps++; _windowImages += images;
        if (!_estimate.Announced && (_estimate.RunSteps >= 1 + RunEstimate.StepsBeforeEstimate || endOfEpoch))
        {
            _estimate.Announced = true;
            double sinceEpoch = Math.Max(now - _epochStart, 1e-9);
            Report(Progress(TrainingProgressKind.Estimate, _epochLoss / _epochImages, _epochImages / sinceEpoch, _epochWait / sinceEpoch, null, now));
            if (RunEstimate.LongRunNotice(now + _estimate.SecondsLeft(now), CheaperOptions()) is { } notice)
                _log?.Warning(MessageSensitivity.None, notice);
        }
        if (step % o.ProgressInterval == 0 && !endOfEpoch)
        {
            double span = Math.Max(now - _windowStart, 1e-9);
            Report(Progress(TrainingProgressKind.Step, _windowLoss / _windowSteps, _windowImages / span, _windowWait / span, null, now));
            ResetWindow(now);
        }
    }

    /// <summary>
    /// Ends the epoch's steps, runs <paramref name="validate"/> (validation is not part of the epoch's time), records the
    /// epoch and reports it.
    /// </summary>
    internal EpochSummary EndEpoch(Func<double?> validate)
    {
        double seconds = Now - _epochStart;
        double? validationAccuracy = validate();
        var summary = new EpochSummary(_epoch, _epochLoss / _epochImages, (double)_epochCorrect / _epochImages, validationAccuracy,
            seconds, _epochWait, _epochImages) { DeviceWaitSeconds = _epochDeviceWait };
        _history.Add(summary);
        _totalSeconds += seconds; _totalWait += _epochWait; _totalCompute += _epochCompute; _totalDeviceWait += _epochDeviceWait; _totalImages += _epochImages;
        double span = Math.Max(seconds, 1e-9);
        Report(Progress(TrainingProgressKind.EpochEnd, summary.Loss, _epochImages / span, _epochWait / span, validationAccuracy, Now));
        return summary;
    }

    /// <summary>The checkpoint's record after the epoch that just ended.</summary>
    internal TrainingCheckpoint.State Record(GradientScaler? scaler) => new()
    {
        FormatVersion = TrainingCheckpoint.FormatVersion,
        NextEpoch = _epoch + 1,
        Step = _step,
        TotalSteps = _plan.TotalSteps,
        Rows = _plan.Rows,
        Seed = _plan.Options.Seed,
        NextTorchSeed = ShuffleOrder.TorchSeed(_plan.Options.Seed, _epoch + 1),
        Spec = _plan.Spec,
        ClassValueType = _plan.Classes.ValueType,
        ClassValues = _plan.Classes.Values,
        Options = _plan.Options,
        History = _history,
        LossScale = scaler?.Scale,
        LossScaleGoodSteps = scaler?.GoodSteps,
    };

    /// <summary>The run's summary, after its last epoch.</summary>
    internal TrainingSummary Summary(int dataThreads, TrainStep step) =>
        new(_plan.DeviceKind, _history[0].Epoch, _plan.Options.Epochs, _step, _totalImages, _totalSeconds, _totalWait, _totalCompute, _history)
        {
            Precision = _plan.Options.Precision, ChannelsLast = _plan.Options.ChannelsLast, DataThreads = dataThreads,
            DeviceWaitSeconds = _totalDeviceWait, CudnnBenchmark = step.BenchmarkMode,
            DeviceName = _plan.OnCuda ? CudaDriver.DeviceName() ?? "cuda" : CudaDriver.CpuName(),
            PeakGpuMemoryBytes = _plan.OnCuda ? step.PeakGpuMemoryBytes : null,
            SkippedSteps = step.Scaler?.SkippedSteps ?? 0,
        };

    private void ResetWindow(double now)
    {
        _windowLoss = 0; _windowSteps = 0; _windowImages = 0; _windowWait = 0; _windowStart = now;
    }

    private TrainingProgress Progress(TrainingProgressKind kind, double loss, double imagesPerSecond, double waitFraction, double? validation, double now) =>
        new(kind, _epoch, _plan.Options.Epochs, _step, _plan.TotalSteps, loss, _lr, imagesPerSecond, waitFraction,
            (double)_epochCorrect / _epochImages, validation) { ElapsedSeconds = now, SecondsLeft = _estimate.SecondsLeft(now) };

    // ML.NET's trainers log their progress through their channel: a message per epoch (Info) and the step reports
    // and the first estimate as Trace, so a listener on MLContext.Log sees "epoch n/N, loss x, images/s y, ETA z".
    private void Report(TrainingProgress progress)
    {
        _plan.Options.Progress?.Report(progress);
        if (progress.Kind == TrainingProgressKind.EpochEnd) _log?.Info(MessageSensitivity.None, progress.ToString());
        else _log?.Trace(MessageSensitivity.None, progress.Kind == TrainingProgressKind.Estimate
            ? $"estimated {RunEstimate.Duration(progress.SecondsLeft)} left after {progress.Step} step(s): {progress}"
            : progress.ToString());
    }

    // The cheaper settings a long run's notice names, in the options' own words.
    private string CheaperOptions()
    {
        var o = _plan.Options;
        var choices = new List<string>();
        if (o.Architecture != ModelArchitecture.SmallCnn) choices.Add($"a smaller network (Architecture = SmallCnn; this run trains {o.Architecture})");
        choices.Add($"fewer Epochs (now {o.Epochs})");
        if (!_plan.OnCuda) choices.Add("a CUDA device (Device = Cuda)");
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
}
