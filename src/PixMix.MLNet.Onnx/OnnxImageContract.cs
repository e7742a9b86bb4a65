using System.Globalization;
using System.Text.Json;

namespace PixMix.MLNet.Onnx;

/// <summary>
/// What an ONNX image classifier expects and returns: the input's layout and size, how bytes become input values, and
/// the class names. Exported classifiers carry it in the ONNX file's <c>metadata_props</c> under the <c>pixmix.</c>
/// keys below, so that scoring and evaluation need no options; for classifiers exported elsewhere it comes from options.
/// </summary>
/// <remarks>
/// An input value is <c>(byte / 255 - Mean[c]) / Std[c]</c> for channel c, in RGB order. An exported classifier folds its
/// normalization (and any centre crop) into the graph, so its contract says <see cref="NormalizationFolded"/> and its
/// input is <c>byte / 255</c>; <see cref="Mean"/> and <see cref="Std"/> then record the training recipe's values.
/// </remarks>
public sealed record OnnxImageContract
{
    /// <summary>The version of the <c>pixmix.</c> metadata written by this build.</summary>
    public const int CurrentFormat = 1;

    /// <summary>Metadata key: the contract's format version.</summary>
    public const string FormatKey = "pixmix.format";
    /// <summary>Metadata key: <c>NCHW</c> or <c>NHWC</c>.</summary>
    public const string LayoutKey = "pixmix.layout";
    /// <summary>Metadata key: the input's height and width in pixels (the images are resized to it).</summary>
    public const string InputSizeKey = "pixmix.input_size";
    /// <summary>Metadata key: comma-separated per-channel means, in the 0..1 pixel scale.</summary>
    public const string MeanKey = "pixmix.mean";
    /// <summary>Metadata key: comma-separated per-channel standard deviations, in the 0..1 pixel scale.</summary>
    public const string StdKey = "pixmix.std";
    /// <summary>Metadata key: <c>folded</c> when the graph normalizes its input itself, else <c>input</c>.</summary>
    public const string NormalizationKey = "pixmix.normalization";
    /// <summary>Metadata key: the class names as a JSON array of strings, in output order.</summary>
    public const string ClassNamesKey = "pixmix.class_names";
    /// <summary>Metadata key: the architecture the classifier was trained with (informational).</summary>
    public const string ArchitectureKey = "pixmix.architecture";

    /// <summary>The graph's image input name in exported classifiers.</summary>
    public const string InputName = "image";
    /// <summary>The graph's logits output name in exported classifiers ([batch, classes], float).</summary>
    public const string LogitsName = "logits";
    /// <summary>The graph's softmax output name in exported classifiers ([batch, classes], float).</summary>
    public const string ProbabilitiesName = "probabilities";
    /// <summary>The graph's arg-max output name in exported classifiers ([batch], int64).</summary>
    public const string PredictedLabelName = "predicted_label";

    /// <summary>The input tensor's layout.</summary>
    public OnnxInputLayout Layout { get; init; } = OnnxInputLayout.Nchw;

    /// <summary>The input's height and width in pixels.</summary>
    public required int InputSize { get; init; }

    /// <summary>Per-channel means (RGB, 0..1 scale).</summary>
    public IReadOnlyList<float> Mean { get; init; } = [0f, 0f, 0f];

    /// <summary>Per-channel standard deviations (RGB, 0..1 scale).</summary>
    public IReadOnlyList<float> Std { get; init; } = [1f, 1f, 1f];

    /// <summary>True when the graph applies <see cref="Mean"/> and <see cref="Std"/> itself (input is byte / 255).</summary>
    public bool NormalizationFolded { get; init; }

    /// <summary>Class names in output order, or null when the file does not name its classes.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The architecture's name, when known.</summary>
    public string? Architecture { get; init; }

    /// <summary>The contract as <c>metadata_props</c> entries.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata()
    {
        var props = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [FormatKey] = CurrentFormat.ToString(CultureInfo.InvariantCulture),
            [LayoutKey] = Layout == OnnxInputLayout.Nchw ? "NCHW" : "NHWC",
            [InputSizeKey] = InputSize.ToString(CultureInfo.InvariantCulture),
            [MeanKey] = string.Join(",", Mean.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
            [StdKey] = string.Join(",", Std.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
            [NormalizationKey] = NormalizationFolded ? "folded" : "input",
        };
        if (ClassNames is not null) props[ClassNamesKey] = JsonSerializer.Serialize(ClassNames);
        if (Architecture is not null) props[ArchitectureKey] = Architecture;
        return props;
    }

    /// <summary>The contract of the ONNX file at <paramref name="path"/> (an export of this library); a file without one is refused.</summary>
    /// <exception cref="InvalidDataException">The file is not an ONNX model or carries no complete <c>pixmix.</c> contract.</exception>
    public static OnnxImageContract FromFile(string path) => OnnxImageScoringEstimator.ReadContract(path);

    /// <summary>
    /// Reads the contract from <c>metadata_props</c>; null when the file carries no <c>pixmix.</c> contract.
    /// Malformed values throw <see cref="FormatException"/> naming the key and <paramref name="source"/>.
    /// </summary>
    public static OnnxImageContract? FromMetadata(IReadOnlyDictionary<string, string> props, string source)
    {
        if (!props.TryGetValue(FormatKey, out var format)) return null;
        if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1 || version > CurrentFormat)
            throw new FormatException($"{source}: metadata '{FormatKey}' is '{format}'; this build reads format 1 to {CurrentFormat}.");

        string Get(string key) => props.TryGetValue(key, out var v)
            ? v
            : throw new FormatException($"{source}: metadata '{key}' is missing from a '{FormatKey}' {version} file.");

        var layout = Get(LayoutKey) switch
        {
            "NCHW" => OnnxInputLayout.Nchw,
            "NHWC" => OnnxInputLayout.Nhwc,
            var other => throw new FormatException($"{source}: metadata '{LayoutKey}' is '{other}'; expected NCHW or NHWC."),
        };
        var sizeText = Get(InputSizeKey);
        if (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 1 || size > 65_536)
            throw new FormatException($"{source}: metadata '{InputSizeKey}' is '{sizeText}'; expected a pixel count from 1 to 65536.");
        var normalization = Get(NormalizationKey) switch
        {
            "folded" => true,
            "input" => false,
            var other => throw new FormatException($"{source}: metadata '{NormalizationKey}' is '{other}'; expected 'folded' or 'input'."),
        };
        string[]? names = null;
        if (props.TryGetValue(ClassNamesKey, out var namesJson))
        {
            try
            {
                names = JsonSerializer.Deserialize<string[]>(namesJson);
            }
            catch (JsonException e)
            {
                throw new FormatException($"{source}: metadata '{ClassNamesKey}' is not a JSON array of strings ({e.Message}).", e);
            }
            if (names is null || names.Any(n => n is null))
                throw new FormatException($"{source}: metadata '{ClassNamesKey}' is not a JSON array of strings.");
        }
        return new OnnxImageContract
        {
            Layout = layout,
            InputSize = size,
            Mean = ParseTriple(Get(MeanKey), MeanKey, source, positive: false),
            Std = ParseTriple(Get(StdKey), StdKey, source, positive: true),
            NormalizationFolded = normalization,
            ClassNames = names,
            Architecture = props.TryGetValue(ArchitectureKey, out var arch) ? arch : null,
        };
    }

    /// <summary>Parses three comma-separated finite numbers (an option's or a metadata key's value).</summary>
    public static float[] ParseTriple(string text, string name, string source, bool positive)
    {
        var parts = text.Split(',');
        var values = new float[parts.Length];
        var ok = parts.Length == 3;
        for (var i = 0; ok && i < parts.Length; i++)
            ok = float.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])
                 && float.IsFinite(values[i]) && (!positive || values[i] > 0);
        if (!ok)
            throw new FormatException($"{source}: '{name}' is '{text}'; expected three comma-separated {(positive ? "positive " : "")}numbers (R,G,B).");
        return values;
    }
}
