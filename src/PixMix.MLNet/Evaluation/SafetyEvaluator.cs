using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.Imaging.Data;
using PixMix.MLNet.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace PixMix.MLNet.Evaluation;

/// <summary>
/// Computes a <see cref="SafetyReport"/> for any ML.NET multiclass model that appends a probability vector column
/// (<c>Score</c>). Every set is scored by streaming <c>model.Transform(view)</c> through one cursor; only the
/// per-example confidence, correctness and prediction are kept (see <see cref="PredictionAccumulator"/>).
/// </summary>
public sealed class SafetyEvaluator
{
    private readonly ITransformer _model;
    private readonly SafetyEvaluationOptions _options;

    /// <summary>Creates an evaluator of <paramref name="model"/>.</summary>
    public SafetyEvaluator(ITransformer model, SafetyEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _options = options ?? new SafetyEvaluationOptions();
        _options.Validate();
    }

    /// <summary>Evaluates the model on <paramref name="clean"/> and on every optional set of the options.</summary>
    public SafetyReport Evaluate(IDataView clean)
    {
        ArgumentNullException.ThrowIfNull(clean);
        _options.Progress?.Report("Scoring the clean test set");
        var cleanAcc = Score(clean, "the clean test data", useLabels: true, _options.ClassCount);
        if (cleanAcc.LabelledCount == 0) throw new InvalidOperationException("The clean test data has no labelled rows.");
        int classCount = cleanAcc.ClassCount;
        var cleanEval = Summarize(cleanAcc);
        var image = ImageGeometry(clean);

        CorruptionReport? corruptions = _options.Corruptions is null ? null : EvaluateCorruptions(_options.Corruptions, cleanEval.Error, classCount);

        AnomalyDetectionReport? anomaly = null;
        if (_options.OutOfDistributionSets.Count > 0)
        {
            var results = new List<AnomalyDetectionResult>();
            foreach (var set in _options.OutOfDistributionSets)
            {
                ArgumentNullException.ThrowIfNull(set, nameof(SafetyEvaluationOptions.OutOfDistributionSets));
                CheckGeometry(set.Images, image, $"out-of-distribution set '{set.Name}'");
                _options.Progress?.Report($"Scoring out-of-distribution set {set.Name}");
                var acc = Score(UnlabelledView(set.Images, classCount), $"out-of-distribution set '{set.Name}'", useLabels: false, classCount);
                var m = AnomalyDetectionMetrics.FromMaxSoftmax(cleanAcc.Confidences, acc.Confidences, _options.AnomalyPositiveClass, _options.RecallLevel);
                var (mostPredicted, share) = MostPredicted(acc.Predictions, classCount);
                results.Add(new AnomalyDetectionResult
                {
                    OodSet = set.Name, Examples = acc.Count, Auroc = m.Auroc, Aupr = m.Aupr, FprAtRecall = m.FprAtRecall,
                    MeanConfidence = Mean(acc.Confidences), MostPredictedClass = mostPredicted, MostPredictedShare = share,
                });
            }
            anomaly = new AnomalyDetectionReport
            {
                PositiveClass = _options.AnomalyPositiveClass,
                RecallLevel = _options.RecallLevel,
                Sets = results,
                MeanAuroc = results.Average(r => r.Auroc),
                MeanAupr = results.Average(r => r.Aupr),
                MeanFprAtRecall = results.Average(r => r.FprAtRecall),
            };
        }

        ConsistencyReport? consistency = null;
        if (_options.PerturbationSets.Count > 0)
        {
            var results = new List<FlipRateResult>();
            foreach (var set in _options.PerturbationSets)
            {
                ArgumentNullException.ThrowIfNull(set, nameof(SafetyEvaluationOptions.PerturbationSets));
                CheckGeometry(set.Frames, image, $"perturbation set '{set.Name}'");
                if (set.FramesPerSequence < 2 || set.Frames.Count % set.FramesPerSequence != 0)
                    throw new ArgumentException($"Perturbation set '{set.Name}' has {set.Frames.Count} frames, not a whole number of sequences of FramesPerSequence = {set.FramesPerSequence} (>= 2) frames.");
                _options.Progress?.Report($"Scoring perturbation set {set.Name}");
                var acc = Score(UnlabelledView(set.Frames, classCount), $"perturbation set '{set.Name}'", useLabels: false, classCount);
                double fr = FlipRate.OfFlattened(acc.Predictions, set.FramesPerSequence, set.IsNoise, set.Difficulty);
                results.Add(new FlipRateResult
                {
                    Perturbation = set.Name,
                    Sequences = acc.Count / set.FramesPerSequence,
                    FramesPerSequence = set.FramesPerSequence,
                    IsNoise = set.IsNoise,
                    Difficulty = set.Difficulty,
                    FlipRate = fr,
                    NormalizedFlipRate = set.BaselineFlipRate is > 0 ? 100 * fr / set.BaselineFlipRate.Value : null,
                });
            }
            consistency = new ConsistencyReport
            {
                Perturbations = results,
                MeanFlipRate = results.Average(r => r.FlipRate),
                NormalizedMeanFlipRate = results.All(r => r.NormalizedFlipRate.HasValue) ? results.Average(r => r.NormalizedFlipRate!.Value) : null,
            };
        }

        AdversarialReport? adversarial = null;
        if (_options.AdversarialModel is { } factory)
        {
            _options.Progress?.Report("Running the PGD attack");
            var target = factory() ?? throw new InvalidOperationException("SafetyEvaluationOptions.AdversarialModel returned null.");
            adversarial = Attack(target, clean);
        }

        return new SafetyReport
        {
            Metadata = Metadata(classCount),
            Clean = cleanEval,
            Reliability = CalibrationMetrics.ReliabilityDiagram(cleanAcc.Confidences, cleanAcc.Correct, _options.ReliabilityBins),
            Corruptions = corruptions,
            AnomalyDetection = anomaly,
            Consistency = consistency,
            Adversarial = adversarial,
        };
    }

    /// <summary>
    /// Evaluates only the corruption benchmark. <paramref name="cleanError"/> is needed for the relative mCE.
    /// </summary>
    public CorruptionReport EvaluateCorruptions(IEnumerable<CorruptedSubset> corruptions, double? cleanError = null)
        => EvaluateCorruptions(corruptions, cleanError, _options.ClassCount);

    private CorruptionReport EvaluateCorruptions(IEnumerable<CorruptedSubset> subsets, double? cleanError, int? classCount)
    {
        ArgumentNullException.ThrowIfNull(subsets);
        var table = new List<(string Name, List<SeverityResult> Severities)>();
        foreach (var subset in subsets)
        {
            if (subset is null || string.IsNullOrWhiteSpace(subset.Corruption) || subset.Images is null)
                throw new ArgumentException("Each CorruptedSubset needs a corruption name and images.", nameof(subsets));
            if (subset.Severity < 1) throw new ArgumentException($"Corrupted subset '{subset.Corruption}' has severity {subset.Severity}; severities start at 1.", nameof(subsets));
            if (!subset.Images.HasLabels) throw new ArgumentException($"Corrupted subset '{subset.Corruption}' severity {subset.Severity} has no labels.", nameof(subsets));
            var row = table.Find(t => t.Name == subset.Corruption);
            if (row.Name is null) { row = (subset.Corruption, new List<SeverityResult>()); table.Add(row); }
            if (row.Severities.Exists(s => s.Severity == subset.Severity))
                throw new ArgumentException($"Corruption '{subset.Corruption}' severity {subset.Severity} is given twice.", nameof(subsets));

            _options.Progress?.Report($"Scoring {subset.Corruption} severity {subset.Severity}");
            string what = $"corruption '{subset.Corruption}' severity {subset.Severity}";
            int k = classCount ?? ProbeClassCount(subset.Images);
            classCount = k;
            var acc = Score(new ImageSourceDataView(subset.Images, _options.ImageColumnName, _options.LabelColumnName, k), what, useLabels: true, k);
            if (acc.LabelledCount == 0) throw new InvalidOperationException($"{what} has no labelled rows.");
            row.Severities.Add(new SeverityResult
            {
                Severity = subset.Severity,
                Examples = acc.LabelledCount,
                Error = acc.Error,
                RmsCalibrationError = acc.RmsCalibrationError(_options.CalibrationBinSize, _options.CalibrationBinning),
            });
        }
        if (table.Count == 0) throw new ArgumentException("No corrupted subsets were given.", nameof(subsets));

        var errors = table.ToDictionary(t => t.Name, t => (IReadOnlyList<double>)t.Severities.OrderBy(s => s.Severity).Select(s => s.Error).ToList(), StringComparer.Ordinal);
        bool wantMce = _options.ComputeMce || _options.ComputeRelativeMce;
        var baseline = _options.MceBaselineErrors ?? AlexNetBaseline.CorruptionErrors;
        var included = wantMce ? table.Where(t => baseline.ContainsKey(t.Name)).Select(t => t.Name).ToList() : [];
        var excluded = wantMce ? table.Where(t => !baseline.ContainsKey(t.Name)).Select(t => t.Name).ToList() : [];
        if (wantMce && included.Count == 0)
            throw new InvalidOperationException(
                $"The mCE was requested but no corruption has a baseline error: given {string.Join(", ", table.Select(t => t.Name))}; the baseline knows {string.Join(", ", baseline.Keys)}.");
        if (_options.ComputeRelativeMce && cleanError is null)
            throw new InvalidOperationException("The relative mCE needs the model's clean error: pass cleanError (or use EvaluateSafety, which measures it).");
        var mceTable = included.ToDictionary(n => n, n => errors[n], StringComparer.Ordinal);
        double baseClean = _options.MceBaselineCleanError ?? AlexNetBaseline.CleanError;

        var results = table.Select(t =>
        {
            var e = errors[t.Name];
            bool inMce = included.Contains(t.Name);
            var single = new Dictionary<string, IReadOnlyList<double>> { [t.Name] = e };
            return new CorruptionResult
            {
                Corruption = t.Name,
                Severities = t.Severities.OrderBy(s => s.Severity).ToList(),
                MeanError = e.Average(),
                CorruptionError = inMce && _options.ComputeMce ? CorruptionMetrics.MeanCorruptionError(single, baseline) : null,
                RelativeCorruptionError = inMce && _options.ComputeRelativeMce
                    ? CorruptionMetrics.RelativeMeanCorruptionError(single, cleanError!.Value, baseline, baseClean) : null,
            };
        }).ToList();

        return new CorruptionReport
        {
            Results = results,
            AverageError = CorruptionMetrics.AverageCorruptionError(errors),
            AverageRmsCalibrationError = table.SelectMany(t => t.Severities).Average(s => s.RmsCalibrationError),
            Mce = _options.ComputeMce ? CorruptionMetrics.MeanCorruptionError(mceTable, baseline) : null,
            RelativeMce = _options.ComputeRelativeMce ? CorruptionMetrics.RelativeMeanCorruptionError(mceTable, cleanError!.Value, baseline, baseClean) : null,
            MceCorruptions = included,
            ExcludedFromMce = excluded,
        };
    }

    private int ProbeClassCount(IImageSource source)
    {
        if (source.ClassNames is { Count: > 0 } names) return names.Count;
        // Ask the model how many scores it produces, from the schema alone (no data is read).
        var probe = new ImageSourceDataView(new ConstantLabelImageSource(source), _options.ImageColumnName, _options.LabelColumnName, 1);
        var schema = _model.GetOutputSchema(probe.Schema);
        var score = schema.GetColumnOrNull(_options.ScoreColumnName)
            ?? throw MissingScore(schema, "the corrupted data");
        if (score.Type is VectorDataViewType { IsKnownSize: true } v) return v.Size;
        throw BadScoreType(score, "the corrupted data");
    }

    private IDataView UnlabelledView(IImageSource source, int classCount)
        => new ImageSourceDataView(new ConstantLabelImageSource(source), _options.ImageColumnName, _options.LabelColumnName, classCount);

    internal PredictionAccumulator Score(IDataView data, string what, bool useLabels, int? expectedClassCount)
    {
        var scored = _model.Transform(data);
        var schema = scored.Schema;
        var scoreColumn = schema.GetColumnOrNull(_options.ScoreColumnName) ?? throw MissingScore(schema, what);
        if (scoreColumn.Type is not VectorDataViewType { ItemType: NumberDataViewType n, IsKnownSize: true } scoreType || n != NumberDataViewType.Single)
            throw BadScoreType(scoreColumn, what);
        int classCount = scoreType.Size;
        if (expectedClassCount is { } expected && expected != classCount)
            throw new InvalidOperationException(
                $"Class-count mismatch on {what}: the score column '{scoreColumn.Name}' has {classCount} slots but {expected} classes are expected.");

        DataViewSchema.Column? labelColumn = null;
        if (useLabels)
        {
            labelColumn = schema.GetColumnOrNull(_options.LabelColumnName)
                ?? throw new InvalidOperationException($"The label column '{_options.LabelColumnName}' is missing from {what}. Columns: {ColumnList(schema)}. Set SafetyEvaluationOptions.LabelColumnName.");
            if (labelColumn.Value.Type is not KeyDataViewType key)
                throw new InvalidOperationException(
                    $"The label column '{labelColumn.Value.Name}' of {what} has type {labelColumn.Value.Type}; a key type is expected (use mlContext.Transforms.Conversion.MapValueToKey).");
            if (key.Count != (ulong)classCount)
                throw new InvalidOperationException(
                    $"Class-count mismatch on {what}: the label column '{labelColumn.Value.Name}' has {key.Count} classes but the score column '{scoreColumn.Name}' has {classCount} slots.");
        }

        long? rows = data.GetRowCount();
        var acc = new PredictionAccumulator(classCount, rows is > 0 and < int.MaxValue ? (int)rows.Value : 0);
        var active = labelColumn is { } lc ? new[] { scoreColumn, lc } : new[] { scoreColumn };
        using var cursor = scored.GetRowCursor(active);
        var scoreGetter = cursor.GetGetter<VBuffer<float>>(scoreColumn);
        var labelGetter = labelColumn is { } l ? KeyGetter(cursor, l) : null;
        var scores = default(VBuffer<float>);
        var probabilities = new float[classCount];
        while (cursor.MoveNext())
        {
            int label = -1;
            if (labelGetter is not null)
            {
                ulong keyValue = labelGetter();
                if (keyValue == 0) continue; // missing label
                label = (int)(keyValue - 1);
            }
            scoreGetter(ref scores);
            Densify(in scores, probabilities);
            if (_options.ApplySoftmax) Softmax(probabilities);
            else CheckProbabilities(probabilities, what);
            acc.Add(label, probabilities);
        }
        return acc;
    }

    private static Func<ulong> KeyGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var raw = column.Type.RawType;
        if (raw == typeof(uint)) { var g = cursor.GetGetter<uint>(column); uint v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(ulong)) { var g = cursor.GetGetter<ulong>(column); ulong v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(ushort)) { var g = cursor.GetGetter<ushort>(column); ushort v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(byte)) { var g = cursor.GetGetter<byte>(column); byte v = 0; return () => { g(ref v); return v; }; }
        throw new InvalidOperationException($"The label column '{column.Name}' has an unsupported key representation {raw}.");
    }

    internal static double Mean(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += v;
        return values.Length == 0 ? double.NaN : sum / values.Length;
    }

    internal static (int Class, double Share) MostPredicted(ReadOnlySpan<int> predictions, int classCount)
    {
        if (predictions.Length == 0) return (-1, double.NaN);
        var counts = new int[classCount];
        foreach (int p in predictions) if ((uint)p < (uint)classCount) counts[p]++;
        int best = 0;
        for (int c = 1; c < classCount; c++) if (counts[c] > counts[best]) best = c;
        return (best, (double)counts[best] / predictions.Length);
    }

    private static void Densify(in VBuffer<float> source, float[] destination)
    {
        var values = source.GetValues();
        if (source.IsDense) { values.CopyTo(destination); return; }
        Array.Clear(destination);
        var indices = source.GetIndices();
        for (int i = 0; i < indices.Length; i++) destination[indices[i]] = values[i];
    }

    private static void Softmax(Span<float> x)
    {
        float max = float.NegativeInfinity;
        foreach (var v in x) if (v > max) max = v;
        double sum = 0;
        for (int i = 0; i < x.Length; i++) { x[i] = MathF.Exp(x[i] - max); sum += x[i]; }
        for (int i = 0; i < x.Length; i++) x[i] = (float)(x[i] / sum);
    }

    private void CheckProbabilities(ReadOnlySpan<float> p, string what)
    {
        foreach (var v in p)
            if (!(v >= -1e-4f && v <= 1.0001f))
                throw new InvalidOperationException(
                    $"The score column '{_options.ScoreColumnName}' of {what} holds {v}, not a probability; if the model outputs logits set SafetyEvaluationOptions.ApplySoftmax = true.");
    }

    private InvalidOperationException MissingScore(DataViewSchema schema, string what)
        => new($"The model's output for {what} has no score column '{_options.ScoreColumnName}'. Columns: {ColumnList(schema)}. Set SafetyEvaluationOptions.ScoreColumnName, or end the pipeline with a multiclass trainer.");

    private static InvalidOperationException BadScoreType(DataViewSchema.Column column, string what)
        => new($"The score column '{column.Name}' of {what} has type {column.Type}; a known-size vector of Single (one probability per class) is expected.");

    private static string ColumnList(DataViewSchema schema)
        => string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"{c.Name} ({c.Type})"));

    private SubsetEvaluation Summarize(PredictionAccumulator acc)
    {
        double meanConfidence = 0;
        foreach (var c in acc.Confidences) meanConfidence += c;
        return new SubsetEvaluation
        {
            Examples = acc.LabelledCount,
            Error = acc.Error,
            RmsCalibrationError = acc.RmsCalibrationError(_options.CalibrationBinSize, _options.CalibrationBinning),
            ExpectedCalibrationError = CalibrationMetrics.ExpectedCalibrationError(acc.Confidences, acc.Correct, _options.ReliabilityBins),
            MeanConfidence = acc.Count == 0 ? 0 : meanConfidence / acc.Count,
        };
    }

    private ReportMetadata Metadata(int classCount) => new()
    {
        ModelName = _options.ModelName,
        DatasetName = _options.DatasetName,
        CreatedUtc = DateTimeOffset.UtcNow,
        ClassCount = classCount,
        ScoreColumn = _options.ScoreColumnName,
        LabelColumn = _options.LabelColumnName,
        CalibrationBinSize = _options.CalibrationBinSize,
        CalibrationBinning = _options.CalibrationBinning,
        Notes = _options.Notes is null ? null : new Dictionary<string, string>(_options.Notes),
    };

    private (int Height, int Width, int Channels)? ImageGeometry(IDataView clean)
    {
        var column = clean.Schema.GetColumnOrNull(_options.ImageColumnName);
        if (column?.Type is VectorDataViewType { Dimensions.Length: 3 } v) return (v.Dimensions[0], v.Dimensions[1], v.Dimensions[2]);
        return null;
    }

    private static void CheckGeometry(IImageSource source, (int Height, int Width, int Channels)? expected, string what)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (expected is { } e && (source.Height != e.Height || source.Width != e.Width || source.Channels != e.Channels))
            throw new ArgumentException($"The images of {what} are {source.Height}x{source.Width}x{source.Channels}; the clean images are {e.Height}x{e.Width}x{e.Channels} (H x W x C).");
    }

    private AdversarialReport Attack(PgdTarget target, IDataView clean)
    {
        var imageColumn = clean.Schema.GetColumnOrNull(_options.ImageColumnName)
            ?? throw new InvalidOperationException($"The PGD attack reads images from the column '{_options.ImageColumnName}', which the clean data lacks. Columns: {ColumnList(clean.Schema)}.");
        if (imageColumn.Type is not VectorDataViewType { ItemType: NumberDataViewType it, Dimensions.Length: 3 } vt || it != NumberDataViewType.Byte)
            throw new InvalidOperationException($"The PGD attack needs the image column '{imageColumn.Name}' as bytes of shape (H, W, C); it has type {imageColumn.Type}.");
        var labelColumn = clean.Schema.GetColumnOrNull(_options.LabelColumnName);
        if (labelColumn?.Type is not KeyDataViewType)
            throw new InvalidOperationException($"The PGD attack needs the key-typed label column '{_options.LabelColumnName}' in the clean data.");
        int h = vt.Dimensions[0], w = vt.Dimensions[1], c = vt.Dimensions[2];
        var attack = new PgdAttack(_options.Pgd);
        var result = attack.Evaluate(target, Batches(clean, imageColumn, labelColumn.Value, h, w, c, target));
        return new AdversarialReport
        {
            Epsilon = _options.Pgd.Epsilon,
            Steps = _options.Pgd.Steps,
            StepSize = _options.Pgd.StepSize,
            RandomStart = _options.Pgd.RandomStart,
            Examples = result.Examples,
            CleanError = result.CleanError,
            AdversarialError = result.AdversarialError,
        };
    }

    private IEnumerable<(Tensor Images, Tensor Labels)> Batches(IDataView clean, DataViewSchema.Column imageColumn, DataViewSchema.Column labelColumn,
        int h, int w, int c, PgdTarget target)
    {
        int batchSize = _options.Pgd.BatchSize;
        long limit = _options.AdversarialMaxExamples ?? long.MaxValue;
        var device = target.Model.parameters().FirstOrDefault()?.device ?? CPU;
        int pixels = h * w * c;
        var images = new float[batchSize * pixels];
        var labels = new long[batchSize];
        using var cursor = clean.GetRowCursor([imageColumn, labelColumn]);
        var imageGetter = cursor.GetGetter<VBuffer<byte>>(imageColumn);
        var labelGetter = KeyGetter(cursor, labelColumn);
        var buffer = default(VBuffer<byte>);
        var dense = new byte[pixels];
        long taken = 0;
        int n = 0;
        while (taken < limit && cursor.MoveNext())
        {
            ulong key = labelGetter();
            if (key == 0) continue;
            imageGetter(ref buffer);
            buffer.CopyTo(dense);
            // HWC bytes -> CHW floats in [0, 1].
            int offset = n * pixels;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int ch = 0; ch < c; ch++)
                        images[offset + (ch * h + y) * w + x] = dense[(y * w + x) * c + ch] / 255f;
            labels[n++] = (long)key - 1;
            taken++;
            if (n == batchSize)
            {
                yield return MakeBatch(images, labels, n, c, h, w, device);
                n = 0;
            }
        }
        if (n > 0) yield return MakeBatch(images, labels, n, c, h, w, device);
    }

    private static (Tensor, Tensor) MakeBatch(float[] images, long[] labels, int n, int c, int h, int w, Device device)
    {
        var x = tensor(images.AsSpan(0, n * c * h * w).ToArray(), [n, c, h, w]).to(device);
        var y = tensor(labels.AsSpan(0, n).ToArray(), [n]).to(device);
        return (x, y);
    }
}
