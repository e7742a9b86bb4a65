namespace PixMix.MLNet.Evaluation;

/// <summary>
/// What a baseline model's report (<see cref="SafetyEvaluationOptions.Baseline"/>) lends the normalized measures, as
/// ImageNet-C and -P lend AlexNet's: its severity-averaged error per corruption and its clean error (mCE, relative mCE),
/// and its flip rate per perturbation file (mFR). A measure is normalized only by numbers taken on the same cells:
/// the same severities on as many images, the same number of sequences of as many frames.
/// </summary>
internal static class SafetyBaseline
{
    /// <summary>The parameter named by the errors: the option that holds the baseline report.</summary>
    public const string ParamName = nameof(SafetyEvaluationOptions.Baseline);

    /// <summary>The baseline's severity-averaged error per corruption; one it never got wrong normalizes nothing and is left out.</summary>
    public static IReadOnlyDictionary<string, double> CorruptionErrors(CorruptionReport baseline) =>
        baseline.Results.Where(r => r.MeanError > 0).ToDictionary(r => r.Corruption, r => r.MeanError, StringComparer.Ordinal);

    /// <summary>Refuses a corruption the baseline measured on other cells than <paramref name="severities"/>.</summary>
    public static void CheckSameCells(SafetyReport baseline, string corruption, IReadOnlyList<SeverityResult> severities) =>
        CheckSameCells(baseline, corruption, severities, withExamples: true);

    /// <summary>
    /// Refuses, before anything is scored, a baseline measured at other severities than the generated corruptions' or on
    /// other sequences than the perturbations' (given corrupted subsets, which may open their files as they are listed,
    /// and the image counts of every cell are compared as they are scored).
    /// </summary>
    public static void CheckPlan(SafetyReport baseline, long? cleanCount, SafetyEvaluationOptions options)
    {
        foreach (var kind in options.GeneratedCorruptions ?? [])
            CheckSameCells(baseline, PixMix.Imaging.Corruptions.CorruptionNames.ToName(kind), options.GeneratedSeverities.Select(v => new SeverityResult(v)).ToList(), withExamples: false);
        foreach (var set in options.PerturbationSets)
            if (set is { Frames: not null, FramesPerSequence: >= 2 } && set.Frames.Count % set.FramesPerSequence == 0)
                FlipRate(baseline, set.Name, set.Level, (int)(set.Frames.Count / set.FramesPerSequence), set.FramesPerSequence);
        if (cleanCount is { } count && options.GeneratedPerturbations is { } specs)
            foreach (var spec in specs)
                FlipRate(baseline, spec.Name, spec.Level, (int)Math.Min(options.GeneratedPerturbationSequences ?? count, count), spec.FrameCount);
    }

    private static void CheckSameCells(SafetyReport baseline, string corruption, IReadOnlyList<SeverityResult> severities, bool withExamples)
    {
        var theirs = baseline.Corruptions?.Results.FirstOrDefault(r => r.Corruption == corruption);
        if (theirs is null) return;
        if (Cells(theirs.Severities, withExamples) != Cells(severities, withExamples))
            throw new ArgumentException(
                $"The baseline report ({Describe(baseline)}) measured corruption '{corruption}' at {Cells(theirs.Severities, withExamples)}; this evaluation at {Cells(severities, withExamples)}. " +
                "A corruption error is normalized only by the baseline's error on the same severities and images: evaluate both models with the same settings.", ParamName);
    }

    /// <summary>The baseline's flip rate of <paramref name="perturbation"/>, refused when measured on other sequences; null when it has none.</summary>
    public static double? FlipRate(SafetyReport baseline, string perturbation, int level, int sequences, int frames)
    {
        var theirs = baseline.Consistency?.Perturbations.FirstOrDefault(p => p.Perturbation == perturbation && p.Level == level);
        if (theirs is null) return null;
        if (theirs.Sequences != sequences || theirs.FramesPerSequence != frames)
            throw new ArgumentException(
                $"The baseline report ({Describe(baseline)}) measured perturbation '{perturbation}' on {theirs.Sequences} sequences of {theirs.FramesPerSequence} frames; " +
                $"this evaluation on {sequences} of {frames}. A flip rate is normalized only by the baseline's on the same sequences: evaluate both models with the same settings.", ParamName);
        return theirs.FlipRate;
    }

    /// <summary>Refuses a baseline whose clean set or classes differ from this evaluation's.</summary>
    public static void CheckSameTestSet(SafetyReport baseline, SubsetEvaluation clean, int classCount)
    {
        if (baseline.Metadata.ClassCount != classCount)
            throw new ArgumentException($"The baseline report ({Describe(baseline)}) is of a {baseline.Metadata.ClassCount}-class model; this one has {classCount} classes.", ParamName);
        if (baseline.Clean.Examples != clean.Examples)
            throw new ArgumentException(
                $"The baseline report ({Describe(baseline)}) was measured on {baseline.Clean.Examples} clean test images; this evaluation on {clean.Examples}. Evaluate both models on the same test set.", ParamName);
    }

    /// <summary>The baseline's model name, as its report records it.</summary>
    public static string Describe(SafetyReport baseline) => baseline.Metadata.ModelName is { Length: > 0 } name ? $"model '{name}'" : "an unnamed model";

    private static string Cells(IEnumerable<SeverityResult> severities, bool withExamples) =>
        string.Join(", ", severities.OrderBy(s => s.Severity).Select(s => withExamples ? $"severity {s.Severity} ({s.Examples} images)" : $"severity {s.Severity}"));
}
