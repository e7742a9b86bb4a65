namespace PixMix.MLNet.Evaluation;

/// <summary>The clean test set class by class, in the model's class order.</summary>
public sealed record ClassReport
{
    /// <summary>One entry per model class.</summary>
    public IReadOnlyList<ClassResult> PerClass { get; init; } = [];
    /// <summary>
    /// The confusion matrix: ConfusionMatrix[t][p] is the number of clean examples of class t predicted as p (null when
    /// the class count is too large to count it).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<long>>? ConfusionMatrix { get; init; }

    internal static ClassReport From(ClassMatching matching, IReadOnlyList<string>? modelClasses, PredictionAccumulator acc)
    {
        int k = acc.ClassCount;
        var confusion = acc.Confusion;
        var perClass = new List<ClassResult>(k);
        List<IReadOnlyList<long>>? matrix = acc.HasConfusion ? new List<IReadOnlyList<long>>(k) : null;
        for (int t = 0; t < k; t++)
        {
            string name = modelClasses?[t] ?? DataName(matching, t) ?? t.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!acc.HasConfusion) { perClass.Add(new ClassResult { Class = t, Name = name, Examples = 0, Error = double.NaN }); continue; }
            var row = confusion.Slice(t * k, k);
            long total = 0;
            foreach (var v in row) total += v;
            perClass.Add(new ClassResult { Class = t, Name = name, Examples = total, Error = total == 0 ? double.NaN : 1 - (double)row[t] / total });
            matrix!.Add(row.ToArray());
        }
        return new ClassReport { PerClass = perClass, ConfusionMatrix = matrix };
    }

    private static string? DataName(ClassMatching matching, int modelClass)
    {
        if (matching.DataClasses is not { } names) return null;
        for (int d = 0; d < matching.DataToModel.Count; d++)
            if (matching.DataToModel[d] == modelClass) return names[d];
        return null;
    }
}
