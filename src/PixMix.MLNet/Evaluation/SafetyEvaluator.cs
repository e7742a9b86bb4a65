using PixMix.Imaging.Corruptions;
using PixMix.Imaging.Perturbations;
using PixMix.MLNet.Training;

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
        if (_options.Baseline is { } plannedAgainst) SafetyBaseline.CheckPlan(plannedAgainst, clean.GetRowCount(), _options);
        _options.Progress?.Report("Scoring the clean test data");
        var cleanScore = ScoreClean(clean);
        var cleanAcc = cleanScore.Accumulator;
        int classCount = cleanAcc.ClassCount;
        var cleanEval = Summarize(cleanAcc);
        if (_options.Baseline is { } baselineReport) SafetyBaseline.CheckSameTestSet(baselineReport, cleanEval, classCount);
        using var context = new SetContext(this, clean, cleanScore);

        var subsets = _options.Corruptions ?? [];
        if (_options.GeneratedCorruptions is { Count: > 0 } kinds) subsets = subsets.Concat(GeneratedSubsets(context, kinds));
        CorruptionReport? corruptions = _options.Corruptions is null && _options.GeneratedCorruptions is not { Count: > 0 } ? null
            : EvaluateCorruptions(subsets, cleanEval.Error, context);

        var oodSets = _options.OutOfDistributionSets.ToList();
        if (_options.SyntheticOutOfDistribution is { Count: > 0 } synthetic)
        {
            var chain = context.Chain;
            int h = chain.Height, w = chain.Width;
            if (h == 0) { var atEntry = context.CleanAtEntry(); h = atEntry.Height; w = atEntry.Width; }
            long count = _options.SyntheticOutOfDistributionCount ?? cleanAcc.Count;
            foreach (var kind in synthetic.Distinct())
            {
                var source = new SyntheticOodSource(kind, Math.Max(1, count), w, h, chain.Format == ImageColumnFormat.MLImage ? 3 : chain.Channels, _options.Seed);
                oodSets.Add(new OutOfDistributionSet(source.Name, source));
            }
        }
        AnomalyDetectionReport? anomaly = null;
        if (oodSets.Count > 0)
        {
            var results = new List<AnomalyDetectionResult>();
            foreach (var set in oodSets)
            {
                ArgumentNullException.ThrowIfNull(set, nameof(SafetyEvaluationOptions.OutOfDistributionSets));
                string what = $"out-of-distribution set '{set.Name}'";
                _options.Progress?.Report($"Scoring {what}");
                var acc = context.ScoreImages(set.Images, what, labels: null);
                var m = OutOfDistributionDetection.FromMaxSoftmax(cleanAcc.Confidences, acc.Confidences, _options.AnomalyPositiveClass, _options.RecallLevel);
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
        var perturbationSets = _options.PerturbationSets.ToList();
        var generated = new List<PerturbedSequenceSource>();
        try
        {
            if (_options.GeneratedPerturbations is { Count: > 0 } specs)
            {
                var cleanImages = ImageSourceSlice.Take(context.CleanAtEntry(), _options.GeneratedPerturbationSequences);
                foreach (var spec in specs)
                {
                    var source = new PerturbedSequenceSource(cleanImages, spec, _options.Seed);
                    generated.Add(source);
                    perturbationSets.Add(new PerturbationSet(spec.Name, source, spec.FrameCount, spec.IsNoise, Level: spec.Level));
                }
            }
            if (perturbationSets.Count > 0) consistency = EvaluateConsistency(perturbationSets, context);
        }
        finally
        {
            foreach (var source in generated) source.Dispose();
        }

        AdversarialReport? adversarial = null;
        if (_options.AdversarialModel is { } factory)
        {
            _options.Progress?.Report("Running the PGD attack");
            var target = factory() ?? throw new InvalidOperationException("SafetyEvaluationOptions.AdversarialModel returned null.");
            adversarial = Attack(target, context);
        }

        return new SafetyReport
        {
            Metadata = Metadata(classCount, cleanScore.Matching, context.EntryDescription),
            Clean = cleanEval,
            Classes = ClassReport.From(cleanScore.Matching, cleanScore.ModelClasses, cleanAcc),
            Reliability = CalibrationMetrics.ReliabilityDiagram(cleanAcc.Confidences, cleanAcc.Correct, _options.ReliabilityBins),
            Corruptions = corruptions,
            AnomalyDetection = anomaly,
            Consistency = consistency,
            Adversarial = adversarial,
            NotEvaluated = NotEvaluated(adversarial),
        };
    }

    // A chain that scores without gradients cannot be attacked: the report says so rather than leaving the part empty.
    private IReadOnlyList<NotEvaluatedMeasure>? NotEvaluated(AdversarialReport? adversarial)
    {
        if (adversarial is not null) return null;
        var gradientFree = ChainSteps.Flatten(_model).OfType<IGradientFreeScoring>().FirstOrDefault();
        return gradientFree is null ? null : [new NotEvaluatedMeasure { Measure = "adversarial", Reason = gradientFree.NoGradientsReason }];
    }

    private ConsistencyReport EvaluateConsistency(IReadOnlyList<PerturbationSet> sets, SetContext context)
    {
        var results = new List<FlipRateResult>();
        foreach (var set in sets)
        {
            ArgumentNullException.ThrowIfNull(set, nameof(SafetyEvaluationOptions.PerturbationSets));
            if (set.FramesPerSequence < 2 || set.Frames.Count % set.FramesPerSequence != 0)
                throw new ArgumentException($"Perturbation set '{set.Name}' has {set.Frames.Count} frames, not a whole number of sequences of FramesPerSequence = {set.FramesPerSequence} (>= 2) frames.");
            string what = $"perturbation set '{set.Name}'";
            _options.Progress?.Report($"Scoring {what}");
            RankDistanceAccumulator? ranks = null;
            var acc = context.ScoreImages(set.Frames, what, labels: null, frame =>
            {
                ranks ??= new RankDistanceAccumulator(frame.Length, set.FramesPerSequence, set.IsNoise, set.Difficulty);
                ranks.Add(frame);
            });
            double fr = FlipRate.OfFlattened(acc.Predictions, set.FramesPerSequence, set.IsNoise, set.Difficulty);
            double? baselineRate = set.BaselineFlipRate
                ?? (_options.Baseline is { } b ? SafetyBaseline.FlipRate(b, set.Name, set.Level, acc.Count / set.FramesPerSequence, set.FramesPerSequence) : null);
            results.Add(new FlipRateResult
            {
                Perturbation = set.Name,
                Sequences = acc.Count / set.FramesPerSequence,
                FramesPerSequence = set.FramesPerSequence,
                IsNoise = set.IsNoise,
                Difficulty = set.Difficulty,
                Level = set.Level,
                FlipRate = fr,
                Top5Distance = ranks?.Top5,
                ZipfDistance = ranks?.Zipf,
                NormalizedFlipRate = baselineRate is > 0 ? 100 * fr / baselineRate.Value : null,
            });
        }
        var averaged = results.Where(r => r.Level == 1).ToList();
        if (averaged.Count == 0) averaged = results;
        return new ConsistencyReport
        {
            Perturbations = results,
            MeanFlipRate = averaged.Average(r => r.FlipRate),
            MeanTop5Distance = averaged.All(r => r.Top5Distance.HasValue) ? averaged.Average(r => r.Top5Distance!.Value) : null,
            MeanZipfDistance = averaged.All(r => r.ZipfDistance.HasValue) ? averaged.Average(r => r.ZipfDistance!.Value) : null,
            NormalizedMeanFlipRate = averaged.All(r => r.NormalizedFlipRate.HasValue) ? averaged.Average(r => r.NormalizedFlipRate!.Value) : null,
        };
    }

    /// <summary>
    /// Evaluates only the corruption benchmark. <paramref name="cleanError"/> is needed for the relative mCE.
    /// </summary>
    public CorruptionReport EvaluateCorruptions(IEnumerable<CorruptedSubset> corruptions, double? cleanError = null)
    {
        ArgumentNullException.ThrowIfNull(corruptions);
        var list = corruptions.ToList();
        var first = list.FirstOrDefault(c => c?.Images is not null)?.Images
            ?? throw new ArgumentException("No corrupted subsets were given.", nameof(corruptions));
        using var context = new SetContext(this, first);
        return EvaluateCorruptions(list, cleanError, context);
    }

    private CorruptionReport EvaluateCorruptions(IEnumerable<CorruptedSubset> subsets, double? cleanError, SetContext context)
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
            var acc = context.ScoreImages(subset.Images, what, labels: context.MatchLabels(subset.Images, what));
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
        // A baseline report normalizes every corruption it measured (and got wrong at least once): the mCE, and the
        // relative mCE where it is defined (the clean error known, every baseline error above its clean error).
        var baselineReport = _options.Baseline?.Corruptions is not null ? _options.Baseline : null;
        if (baselineReport is not null) foreach (var t in table) SafetyBaseline.CheckSameCells(baselineReport, t.Name, t.Severities);
        var baseline = baselineReport is not null ? SafetyBaseline.CorruptionErrors(baselineReport.Corruptions!)
            : _options.MceBaselineErrors ?? AlexNetBaseline.CorruptionErrors;
        bool wantMce = _options.ComputeMce || _options.ComputeRelativeMce || baselineReport is not null;
        var included = wantMce ? table.Where(t => baseline.ContainsKey(t.Name)).Select(t => t.Name).ToList() : [];
        var excluded = wantMce ? table.Where(t => !baseline.ContainsKey(t.Name)).Select(t => t.Name).ToList() : [];
        if (wantMce && included.Count == 0 && baselineReport is null)
            throw new InvalidOperationException(
                $"The mCE was requested but no corruption has a baseline error: given {string.Join(", ", table.Select(t => t.Name))}; the baseline knows {string.Join(", ", baseline.Keys)}.");
        if (_options.ComputeRelativeMce && cleanError is null)
            throw new InvalidOperationException("The relative mCE needs the model's clean error: pass cleanError (or use EvaluateSafety, which measures it).");
        var mceTable = included.ToDictionary(n => n, n => errors[n], StringComparer.Ordinal);
        double baseClean = baselineReport?.Clean.Error ?? _options.MceBaselineCleanError ?? AlexNetBaseline.CleanError;
        bool computeMce = baselineReport is null ? _options.ComputeMce : included.Count > 0;
        bool computeRelative = baselineReport is null ? _options.ComputeRelativeMce
            : computeMce && cleanError is not null && included.All(n => baseline[n] > baseClean);

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
                CorruptionError = inMce && computeMce ? CorruptionMetrics.MeanCorruptionError(single, baseline) : null,
                RelativeCorruptionError = inMce && computeRelative
                    ? CorruptionMetrics.RelativeMeanCorruptionError(single, cleanError!.Value, baseline, baseClean) : null,
            };
        }).ToList();

        return new CorruptionReport
        {
            Results = results,
            AverageError = CorruptionMetrics.AverageCorruptionError(errors),
            AverageRmsCalibrationError = table.SelectMany(t => t.Severities).Average(s => s.RmsCalibrationError),
            Mce = computeMce ? CorruptionMetrics.MeanCorruptionError(mceTable, baseline) : null,
            RelativeMce = computeRelative ? CorruptionMetrics.RelativeMeanCorruptionError(mceTable, cleanError!.Value, baseline, baseClean) : null,
            MceCorruptions = included,
            ExcludedFromMce = excluded,
        };
    }

    /// <summary>The label column of the images fed at the chain's entry: a name of its own, so no step of the chain reads or replaces it.</summary>
    internal const string EvaluationLabelColumnName = "PixMix.EvaluationLabel";

    /// <summary>The clean data scored by the whole chain, with its classes matched to the model's by name.</summary>
    private sealed record CleanScore(PredictionAccumulator Accumulator, ClassMatching Matching, IReadOnlyList<string>? ModelClasses, int ModelClassCount,
        DataViewSchema.Column? LabelColumn);

    private CleanScore ScoreClean(IDataView clean)
    {
        const string what = "the clean test data";
        var scored = _model.Transform(clean);
        var (scoreColumn, classCount) = ScoreColumn(scored.Schema, what);
        var modelClasses = ModelClassNames(scored.Schema, scoreColumn, classCount);
        var labelColumn = scored.Schema.GetColumnOrNull(_options.LabelColumnName)
            ?? throw new InvalidOperationException($"The label column '{_options.LabelColumnName}' is missing from {what}. Columns: {ColumnList(scored.Schema)}. Set SafetyEvaluationOptions.LabelColumnName.");
        if (labelColumn.Type is not KeyDataViewType key || key.Count is 0 or > int.MaxValue)
            throw new InvalidOperationException(
                $"The label column '{labelColumn.Name}' of {what} has type {labelColumn.Type}; a key type is expected (use mlContext.Transforms.Conversion.MapValueToKey).");
        var matching = ClassMatching.Match(modelClasses, classCount, ClassLabels.KeyValueNames(labelColumn), (int)key.Count, $"{what}{DatasetSuffix()}");
        var map = matching.DataToModel.ToArray();
        var acc = Accumulate(scored, scoreColumn, labelColumn, classCount, what, keyIndex => keyIndex < map.Length ? map[keyIndex] : -1, confusion: true);
        if (acc.LabelledCount == 0)
            throw new InvalidDataException($"{ClassMatching.Capital(what)}{DatasetSuffix()} has no labelled rows: every label is missing or is not one of the model's classes.");
        return new CleanScore(acc, matching, ClassMatching.Meaningful(modelClasses), classCount, labelColumn);
    }

    private string DatasetSuffix() => _options.DatasetName is { Length: > 0 } name ? $" '{name}'" : "";

    private (DataViewSchema.Column Score, int ClassCount) ScoreColumn(DataViewSchema schema, string what)
    {
        var scoreColumn = schema.GetColumnOrNull(_options.ScoreColumnName) ?? throw MissingScore(schema, what);
        if (scoreColumn.Type is not VectorDataViewType { ItemType: NumberDataViewType n, IsKnownSize: true } scoreType || n != NumberDataViewType.Single)
            throw BadScoreType(scoreColumn, what);
        int classCount = scoreType.Size;
        if (_options.ClassCount is { } expected && expected != classCount)
            throw new InvalidOperationException(
                $"Class-count mismatch on {what}: the score column '{scoreColumn.Name}' has {classCount} slots but {expected} classes are expected.");
        return (scoreColumn, classCount);
    }

    /// <summary>
    /// The model's class names: the key values of its predicted-label column, else the slot names of its score column
    /// (what ML.NET's multiclass trainers and this library's classifier write); null when it has neither.
    /// </summary>
    private IReadOnlyList<string>? ModelClassNames(DataViewSchema schema, DataViewSchema.Column score, int classCount)
    {
        if (_options.ModelClassNames is { } given)
        {
            if (given.Count != classCount)
                throw new ArgumentException($"SafetyEvaluationOptions.ModelClassNames has {given.Count} names but the model scores {classCount} classes.");
            return given;
        }
        return ModelClassNames(schema, score, classCount, _options.PredictedLabelColumnName);
    }

    /// <summary>
    /// The class names a model's output schema carries: the key values of <paramref name="predictedLabelColumnName"/>
    /// (the key column, even where a later MapKeyToValue hid it behind its values), else the slot names of
    /// <paramref name="score"/>; null when it has neither.
    /// </summary>
    internal static IReadOnlyList<string>? ModelClassNames(DataViewSchema schema, DataViewSchema.Column score, int classCount, string predictedLabelColumnName)
    {
        var predicted = schema.LastOrDefault(c => c.Name == predictedLabelColumnName && c.Type is KeyDataViewType k && k.Count == (ulong)classCount);
        if (predicted.Name is not null && ClassLabels.KeyValueNames(predicted) is { } keyValues)
            return keyValues;
        if (score.Annotations.Schema.GetColumnOrNull(ClassLabels.SlotNamesKind) is { Type: VectorDataViewType { ItemType: TextDataViewType } v } && v.Size == classCount)
        {
            VBuffer<ReadOnlyMemory<char>> names = default;
            score.Annotations.GetValue(ClassLabels.SlotNamesKind, ref names);
            var list = names.DenseValues().Select(m => m.ToString()).ToArray();
            if (list.All(n => n.Length > 0)) return list;
        }
        return null;
    }

    /// <summary>Everything scoring a set other than the clean one needs: the chain's image entry, the classes, the clean images.</summary>
    private sealed class SetContext : IDisposable
    {
        private readonly SafetyEvaluator _owner;
        private readonly IDataView? _clean;
        private readonly CleanScore? _cleanScore;
        private readonly IImageSource? _probe;
        private EvaluationChain? _chain;
        private IImageSource? _cleanAtEntry;
        private (IReadOnlyList<string>? Names, int Count)? _modelClasses;

        public SetContext(SafetyEvaluator owner, IDataView clean, CleanScore cleanScore)
        {
            _owner = owner; _clean = clean; _cleanScore = cleanScore;
            _modelClasses = (cleanScore.ModelClasses, cleanScore.ModelClassCount);
        }

        /// <summary>Without clean data: the chain's input is taken to be the images of <paramref name="probe"/>.</summary>
        public SetContext(SafetyEvaluator owner, IImageSource probe)
        {
            _owner = owner; _probe = probe;
        }

        public EvaluationChain Chain => _chain ??= EvaluationChain.Analyze(_owner._model,
            _clean?.Schema ?? new ImageSourceDataView(new ConstantLabelImageSource(_probe!), _owner._options.ImageColumnName, _owner._options.LabelColumnName, 1).Schema,
            _owner._options.ImageColumnName, EvaluationLabelColumnName);

        public string? EntryDescription => _chain?.Describe();

        private (IReadOnlyList<string>? Names, int Count) ModelClasses
        {
            get
            {
                if (_modelClasses is { } known) return known;
                var schema = Chain.Suffix.GetOutputSchema(Chain.Feed(new ConstantLabelImageSource(_probe!), 1, null, null).Schema);
                var (score, count) = _owner.ScoreColumn(schema, "the corrupted data");
                var names = _owner.ModelClassNames(schema, score, count);
                _modelClasses = (ClassMatching.Meaningful(names), count);
                return _modelClasses.Value;
            }
        }

        /// <summary>The model's class index of each label of <paramref name="images"/>.</summary>
        public int[] MatchLabels(IImageSource images, string what)
        {
            var (names, count) = ModelClasses;
            if (ClassMatching.Meaningful(images.ClassNames) is { } own)
                return ClassMatching.Match(names, count, own, own.Count, what).DataToModel.ToArray();
            // Without names of their own, the labels are in the clean data's classes.
            if (_cleanScore is { } clean) return clean.Matching.DataToModel.ToArray();
            return Enumerable.Range(0, count).ToArray();
        }

        /// <summary>The clean images as they reach the chain's entry, labels in the clean data's classes.</summary>
        public IImageSource CleanAtEntry()
        {
            if (_cleanAtEntry is not null) return _cleanAtEntry;
            if (_clean is null) throw new InvalidOperationException("No clean data was given.");
            _cleanAtEntry = Chain.Materialize(_owner._model, _clean, _cleanScore?.LabelColumn, _cleanScore?.Matching.DataClasses);
            return _cleanAtEntry;
        }

        /// <summary>Deletes the spilled clean images, if any.</summary>
        public void Dispose() => (_cleanAtEntry as SpilledImageSource)?.Dispose(); // never the caller's own source

        /// <summary>Scores <paramref name="images"/> through the chain from its entry; <paramref name="labels"/> maps their labels to the model's classes (null: unlabelled).</summary>
        public PredictionAccumulator ScoreImages(IImageSource images, string what, int[]? labels, Action<float[]>? observe = null)
        {
            Chain.CheckShape(images, what);
            var (names, count) = ModelClasses;
            var view = Chain.Feed(images, count, names, labels);
            var scored = Chain.Suffix.Transform(view);
            var (score, classCount) = _owner.ScoreColumn(scored.Schema, what);
            if (classCount != count)
                throw new InvalidOperationException($"Class-count mismatch on {what}: the model scores {classCount} classes here and {count} on the clean data.");
            DataViewSchema.Column? label = labels is null ? null : scored.Schema.GetColumnOrNull(Chain.LabelColumnName);
            return _owner.Accumulate(scored, score, label, classCount, what, keyIndex => keyIndex, confusion: false, observe);
        }
    }

    private IEnumerable<CorruptedSubset> GeneratedSubsets(SetContext context, IReadOnlyList<CorruptionKind> kinds)
    {
        var clean = context.CleanAtEntry();
        foreach (var kind in kinds)
            foreach (int severity in _options.GeneratedSeverities)
                yield return new CorruptedSubset(CorruptionNames.ToName(kind), severity,
                    new CorruptedImageSource(clean, kind, severity, _options.Seed, _options.CorruptionParameters));
    }

    private PredictionAccumulator Accumulate(IDataView scored, DataViewSchema.Column scoreColumn, DataViewSchema.Column? labelColumn, int classCount,
        string what, Func<int, int> toModelClass, bool confusion, Action<float[]>? observe = null)
    {
        long? rows = scored.GetRowCount();
        var acc = new PredictionAccumulator(classCount, rows is > 0 and < int.MaxValue ? (int)rows.Value : 0, confusion);
        var active = labelColumn is { } lc ? new[] { scoreColumn, lc } : new[] { scoreColumn };
        using var cursor = scored.GetRowCursor(active);
        var scoreGetter = cursor.GetGetter<VBuffer<float>>(scoreColumn);
        var labelGetter = labelColumn is { } l ? FeatureColumn.KeyReader(cursor, l) : null;
        var scores = default(VBuffer<float>);
        var probabilities = new float[classCount];
        while (cursor.MoveNext())
        {
            int label = -1;
            if (labelGetter is not null)
            {
                ulong keyValue = labelGetter();
                if (keyValue == 0) continue; // missing label
                label = toModelClass((int)(keyValue - 1));
                if (label < 0 || label >= classCount)
                    throw new InvalidDataException($"A label of {what} (class index {keyValue - 1}) is not one of the model's {classCount} classes.");
            }
            scoreGetter(ref scores);
            Densify(in scores, probabilities);
            if (_options.ApplySoftmax) ClassProbabilities.SoftmaxInPlace(probabilities);
            else CheckProbabilities(probabilities, what);
            acc.Add(label, probabilities);
            observe?.Invoke(probabilities);
        }
        return acc;
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

    private ReportMetadata Metadata(int classCount, ClassMatching matching, string? entry) => new()
    {
        ModelName = _options.ModelName,
        DatasetName = _options.DatasetName,
        CreatedUtc = DateTimeOffset.UtcNow,
        ClassCount = classCount,
        ScoreColumn = _options.ScoreColumnName,
        LabelColumn = _options.LabelColumnName,
        ClassMatching = matching.Kind,
        ClassMatchingNote = matching.Note,
        ImageEntry = entry,
        BaselineModelName = _options.Baseline is { } b ? b.Metadata.ModelName ?? "" : null,
        CalibrationBinSize = _options.CalibrationBinSize,
        CalibrationBinning = _options.CalibrationBinning,
        Notes = _options.Notes is null ? null : new Dictionary<string, string>(_options.Notes),
    };

    private AdversarialReport Attack(PgdTarget target, SetContext context)
    {
        var clean = context.CleanAtEntry();
        var labels = context.MatchLabels(clean, "the clean test data");
        var attack = new PgdAttack(_options.Pgd);
        var result = attack.Evaluate(target, Batches(clean, labels, target));
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

    // The clean images as the chain's entry sees them, HWC bytes -> CHW floats in [0, 1], labels in the model's classes.
    private IEnumerable<(Tensor Images, Tensor Labels)> Batches(IImageSource clean, int[] labelMap, PgdTarget target)
    {
        int batchSize = _options.Pgd.BatchSize;
        long limit = _options.AdversarialMaxExamples ?? long.MaxValue;
        var device = target.Model.parameters().FirstOrDefault()?.device ?? CPU;
        int h = clean.Height, w = clean.Width, c = clean.Channels;
        int pixels = h * w * c;
        var images = new float[batchSize * pixels];
        var labels = new long[batchSize];
        var dense = new byte[pixels];
        long taken = 0;
        int n = 0;
        for (long row = 0; row < clean.Count && taken < limit; row++)
        {
            int label = clean.ReadLabel(row);
            if (label < 0 || label >= labelMap.Length) continue;
            clean.ReadImage(row, dense);
            int offset = n * pixels;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int ch = 0; ch < c; ch++)
                        images[offset + (ch * h + y) * w + x] = dense[(y * w + x) * c + ch] / 255f;
            labels[n++] = labelMap[label];
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
