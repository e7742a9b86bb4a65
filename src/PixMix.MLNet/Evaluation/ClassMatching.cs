namespace PixMix.MLNet.Evaluation;

/// <summary>
/// The pairing of a data set's classes with a model's: <see cref="DataToModel"/>[d] is the model's class index of the
/// data's class d. Built by <see cref="Match"/>, which compares class names and refuses data whose classes are not the
/// model's.
/// </summary>
public sealed record ClassMatching
{
    /// <summary>How the classes were paired.</summary>
    public ClassMatchingKind Kind { get; init; }
    /// <summary>One sentence saying how, for reports.</summary>
    public string Note { get; init; } = "";
    /// <summary>The model's class names (null when it has none).</summary>
    public IReadOnlyList<string>? ModelClasses { get; init; }
    /// <summary>The data's class names (null when it has none).</summary>
    public IReadOnlyList<string>? DataClasses { get; init; }
    /// <summary>For each class index of the data, the model's class index.</summary>
    public IReadOnlyList<int> DataToModel { get; init; } = [];

    /// <summary>Whether every data class keeps its index.</summary>
    public bool IsIdentity
    {
        get
        {
            for (int i = 0; i < DataToModel.Count; i++) if (DataToModel[i] != i) return false;
            return true;
        }
    }

    /// <summary>At most this many differing names are listed in a refusal.</summary>
    public const int MaxListedNames = 10;

    /// <summary>
    /// Pairs <paramref name="dataClasses"/> with <paramref name="modelClasses"/>. Names that are just "0".."K-1" count as
    /// no names. With names on both sides, the same set of names in any order is accepted (remapped by name); where
    /// either side has none, the class counts must agree and classes are paired by index.
    /// </summary>
    /// <param name="modelClasses">The model's class names, or null.</param>
    /// <param name="modelClassCount">The number of classes the model scores.</param>
    /// <param name="dataClasses">The data's class names, or null.</param>
    /// <param name="dataClassCount">The number of classes of the data's labels.</param>
    /// <param name="what">The data, as named in messages (for example "the clean test data 'fashion-mnist'").</param>
    /// <exception cref="ClassMismatchException">The data's classes are not the model's: other names or another count.</exception>
    public static ClassMatching Match(IReadOnlyList<string>? modelClasses, int modelClassCount, IReadOnlyList<string>? dataClasses, int dataClassCount, string what)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(modelClassCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dataClassCount, 1);
        if (modelClasses is not null && modelClasses.Count != modelClassCount)
            throw new ArgumentException($"The model declares {modelClassCount} classes but {modelClasses.Count} class names.", nameof(modelClasses));
        if (dataClasses is not null && dataClasses.Count != dataClassCount)
            throw new ArgumentException($"{what} declares {dataClassCount} classes but {dataClasses.Count} class names.", nameof(dataClasses));
        var model = Meaningful(modelClasses);
        var data = Meaningful(dataClasses);

        if (model is null || data is null)
        {
            if (modelClassCount != dataClassCount)
                throw new ClassMismatchException(
                    $"Class-count mismatch: the model classifies {modelClassCount} classes{List(" (", model, ")")} but {what} has {dataClassCount} classes{List(" (", data, ")")}.");
            string side = model is null && data is null ? "neither the model nor the data names its classes"
                : model is null ? "the model does not name its classes" : "the data does not name its classes";
            return new ClassMatching
            {
                Kind = ClassMatchingKind.ByPosition,
                Note = $"Classes paired by position: {side}.",
                ModelClasses = model, DataClasses = data,
                DataToModel = Enumerable.Range(0, dataClassCount).ToArray(),
            };
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < model.Count; i++)
            if (!index.TryAdd(model[i], i)) throw new ClassMismatchException($"The model names class '{model[i]}' twice; classes cannot be matched by name.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in data)
            if (!seen.Add(name)) throw new ClassMismatchException($"{Capital(what)} names class '{name}' twice; classes cannot be matched by name.");
        var onlyData = data.Where(n => !index.ContainsKey(n)).ToList();
        var onlyModel = model.Where(n => !seen.Contains(n)).ToList();
        if (onlyData.Count > 0 || onlyModel.Count > 0 || model.Count != data.Count)
            throw new ClassMismatchException(
                $"Class mismatch: {what} has {data.Count} classes and the model {model.Count}; " +
                $"only in the data: {Names(onlyData)}; only in the model: {Names(onlyModel)}.");

        var map = data.Select(n => index[n]).ToArray();
        bool identity = map.Select((m, i) => m == i).All(b => b);
        return new ClassMatching
        {
            Kind = identity ? ClassMatchingKind.ByName : ClassMatchingKind.RemappedByName,
            Note = identity ? "Classes matched by name (same order)."
                : $"Classes matched by name: {what} lists the model's {model.Count} classes in another order; its labels were remapped.",
            ModelClasses = model, DataClasses = data, DataToModel = map,
        };
    }

    /// <summary>The names, or null when there are none or they are just "0".."K-1".</summary>
    internal static IReadOnlyList<string>? Meaningful(IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0) return null;
        for (int i = 0; i < names.Count; i++)
            if (names[i] != i.ToString(System.Globalization.CultureInfo.InvariantCulture)) return names;
        return null;
    }

    private static string Names(List<string> names)
        => names.Count == 0 ? "none"
            : string.Join(", ", names.Take(MaxListedNames).Select(n => $"'{n}'")) + (names.Count > MaxListedNames ? $" and {names.Count - MaxListedNames} more" : "");

    private static string List(string open, IReadOnlyList<string>? names, string close)
        => names is null ? "" : open + Names(names.ToList()) + close;

    internal static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
