using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace PixMix.MLNet.Onnx;

/// <summary>
/// Reads an ONNX image classifier's graph (through ONNX Runtime) and its <c>pixmix.</c> metadata, checks that it is
/// one: a float image input of rank 4 with 3 channels where the layout puts them, and a float output of shape
/// [batch, classes]; and resolves the contract in force from the graph, the file's contract and the options.
/// </summary>
internal static class OnnxClassifierGraph
{
    public static OnnxImageClassifierInfo Inspect(string modelPath, OnnxImageClassifierOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"ONNX model file '{modelPath}' not found.", modelPath);
        string what = $"ONNX model '{modelPath}'";
        InferenceSession session;
        try { session = new InferenceSession(modelPath); }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{what} cannot be loaded by ONNX Runtime: {FirstLine(e.Message)}", e);
        }
        using (session)
        {
            var fileContract = OnnxImageContract.FromMetadata(session.ModelMetadata.CustomMetadataMap, what);
            var sources = new Dictionary<string, string>(StringComparer.Ordinal);

            // The input: one float tensor of rank 4, 3 channels where the layout puts them.
            if (session.InputMetadata.Count != 1)
                throw new InvalidDataException($"{what} has {session.InputMetadata.Count} inputs ({string.Join(", ", session.InputMetadata.Select(i => $"'{i.Key}' {Shape(i.Value)}"))}); an image classifier has one, the image.");
            var (inputName, input) = session.InputMetadata.First();
            if (!input.IsTensor || input.ElementType != typeof(float) || input.Dimensions.Length != 4)
                throw new InvalidDataException($"{what}: input '{inputName}' is {Describe(input)}; expected a float tensor of rank 4 (NCHW or NHWC).");
            var dims = input.Dimensions;

            var layout = options.Layout ?? fileContract?.Layout
                ?? throw new OnnxSettingRequiredException(modelPath, nameof(OnnxImageClassifierOptions.Layout), $" (NCHW or NHWC; its input '{inputName}' is {Shape(input)}{LayoutHint(dims)})");
            sources["layout"] = options.Layout is not null ? "options" : "file metadata";
            int channelAxis = layout == OnnxInputLayout.Nchw ? 1 : 3, heightAxis = layout == OnnxInputLayout.Nchw ? 2 : 1, widthAxis = heightAxis + 1;
            string layoutName = layout == OnnxInputLayout.Nchw ? "NCHW" : "NHWC";
            if (dims[channelAxis] != 3)
                throw new InvalidDataException(
                    $"{what}: input '{inputName}' is {Shape(input)}, which as {layoutName} has {(dims[channelAxis] > 0 ? dims[channelAxis].ToString(CultureInfo.InvariantCulture) : "a dynamic number of")} channel(s) at dimension {channelAxis}; an image classifier here takes 3 (RGB){LayoutHint(dims)}.");
            if (dims[0] > 1)
                throw new InvalidDataException($"{what}: input '{inputName}' is {Shape(input)}, a fixed batch of {dims[0]}; expected a dynamic batch dimension (or 1).");

            // The size: the graph's fixed height and width, else the options, else the file's contract.
            int height = dims[heightAxis], width = dims[widthAxis];
            int size;
            if (height > 0 && width > 0)
            {
                if (height != width)
                    throw new InvalidDataException($"{what}: input '{inputName}' is {Shape(input)}, {width}x{height} as {layoutName}; only square inputs are supported.");
                if (options.InputSize is { } given && given != height)
                    throw new ArgumentException($"OnnxImageClassifierOptions.InputSize is {given} but {what} fixes its input '{inputName}' at {Shape(input)}, {height}x{height}.");
                if (fileContract is not null && fileContract.InputSize != height)
                    throw new InvalidDataException($"{what}: metadata '{OnnxImageContract.InputSizeKey}' says {fileContract.InputSize} but input '{inputName}' is {Shape(input)}.");
                size = height;
                sources["inputSize"] = "graph";
            }
            else
            {
                size = options.InputSize ?? fileContract?.InputSize
                    ?? throw new OnnxSettingRequiredException(modelPath, nameof(OnnxImageClassifierOptions.InputSize), $" (its input '{inputName}' is {Shape(input)}: the height and width are dynamic)");
                if ((height > 0 && height != size) || (width > 0 && width != size))
                    throw new InvalidDataException($"{what}: input '{inputName}' is {Shape(input)}, which does not take {size}x{size} images.");
                sources["inputSize"] = options.InputSize is not null ? "options" : "file metadata";
            }
            if (size is < 1 or > 65_536) throw new ArgumentOutOfRangeException(nameof(options), size, $"OnnxImageClassifierOptions.InputSize is {size}; expected 1 to 65536.");

            // The normalization: the options' mean and std (both), else the file's contract.
            IReadOnlyList<float> mean, std;
            bool folded;
            if (options.Mean is not null || options.Std is not null)
            {
                mean = options.Mean ?? throw new OnnxSettingRequiredException(modelPath, nameof(OnnxImageClassifierOptions.Mean), " with Std");
                std = options.Std ?? throw new OnnxSettingRequiredException(modelPath, nameof(OnnxImageClassifierOptions.Std), " with Mean");
                folded = false;
                sources["normalization"] = "options";
            }
            else if (fileContract is not null)
            {
                (mean, std, folded) = (fileContract.Mean, fileContract.Std, fileContract.NormalizationFolded);
                sources["normalization"] = "file metadata";
            }
            else throw new OnnxSettingRequiredException(modelPath, nameof(OnnxImageClassifierOptions.Mean),
                " with Std (the per-channel mean and standard deviation, 0..1 scale, the graph's input is normalized with; 0,0,0 and 1,1,1 for none)");
            CheckTriple(mean, nameof(OnnxImageClassifierOptions.Mean), positive: false);
            CheckTriple(std, nameof(OnnxImageClassifierOptions.Std), positive: true);

            // The output: the named one, else 'logits', else the only one (or the only one of rank 2).
            var (outputName, output) = ChooseOutput(session, options, what);
            if (!output.IsTensor || output.ElementType != typeof(float) || output.Dimensions.Length != 2 || output.Dimensions[0] > 1 || output.Dimensions[1] < 2)
                throw new InvalidDataException($"{what}: output '{outputName}' is {Describe(output)}; expected a float tensor [batch, classes] with a fixed number of classes (at least 2).");
            int classes = output.Dimensions[1];

            // The class names: the options', else the file's, else none (paired with the data's classes by position).
            var names = options.ClassNames ?? fileContract?.ClassNames;
            sources["classNames"] = options.ClassNames is not null ? "options" : fileContract?.ClassNames is not null ? "file metadata" : "none";
            if (names is not null)
            {
                string from = options.ClassNames is not null ? "OnnxImageClassifierOptions.ClassNames" : $"metadata '{OnnxImageContract.ClassNamesKey}' of {what}";
                if (names.Count != classes)
                    throw new ArgumentException($"{from} has {names.Count} class names but output '{outputName}' of {what} scores {classes} classes ({Shape(output)}).");
                if (names.FirstOrDefault(n => string.IsNullOrWhiteSpace(n)) is { } blank)
                    throw new ArgumentException($"{from} has an empty class name (class {names.ToList().IndexOf(blank)}).");
            }

            return new OnnxImageClassifierInfo
            {
                ModelPath = modelPath,
                InputTensorName = inputName,
                InputShape = dims,
                OutputTensorName = outputName,
                OutputShape = output.Dimensions,
                ClassCount = classes,
                HasFileContract = fileContract is not null,
                Scores = options.Scores,
                Sources = sources,
                Contract = new OnnxImageContract
                {
                    Layout = layout,
                    InputSize = size,
                    Mean = mean.ToArray(),
                    Std = std.ToArray(),
                    NormalizationFolded = folded,
                    ClassNames = names?.ToArray(),
                    Architecture = fileContract?.Architecture,
                },
            };
        }
    }

    private static (string Name, NodeMetadata Node) ChooseOutput(InferenceSession session, OnnxImageClassifierOptions options, string what)
    {
        var outputs = session.OutputMetadata;
        string List() => string.Join(", ", outputs.Select(o => $"'{o.Key}' {Shape(o.Value)}"));
        if (options.OutputTensorName is { } named)
            return outputs.TryGetValue(named, out var node) ? (named, node)
                : throw new ArgumentException($"OnnxImageClassifierOptions.OutputTensorName is '{named}' but {what} has no such output (its outputs: {List()}).");
        if (outputs.TryGetValue(OnnxImageContract.LogitsName, out var logits)) return (OnnxImageContract.LogitsName, logits);
        if (outputs.Count == 1) return (outputs.First().Key, outputs.First().Value);
        var candidates = outputs.Where(o => o.Value.IsTensor && o.Value.ElementType == typeof(float) && o.Value.Dimensions.Length == 2).ToList();
        if (candidates.Count == 1) return (candidates[0].Key, candidates[0].Value);
        throw new InvalidDataException(candidates.Count == 0
            ? $"{what} has no output of shape [batch, classes] (its outputs: {List()})."
            : $"{what} has {candidates.Count} outputs of shape [batch, classes] ({List()}); name the scores with OnnxImageClassifierOptions.OutputTensorName.");
    }

    private static void CheckTriple(IReadOnlyList<float> values, string name, bool positive)
    {
        if (values.Count != 3 || values.Any(v => !float.IsFinite(v) || (positive && v <= 0)))
            throw new ArgumentException($"OnnxImageClassifierOptions.{name} is [{string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}]; expected three {(positive ? "positive " : "")}finite numbers (R, G, B, 0..1 scale).");
    }

    // Which layout the shape suggests, when only one reading has 3 channels.
    private static string LayoutHint(int[] dims)
        => dims[1] == 3 && dims[3] != 3 ? ", which reads as NCHW" : dims[3] == 3 && dims[1] != 3 ? ", which reads as NHWC" : "";

    internal static string Shape(NodeMetadata node)
    {
        var symbols = node.SymbolicDimensions;
        return "[" + string.Join(", ", node.Dimensions.Select((d, i) => d > 0 ? d.ToString(CultureInfo.InvariantCulture)
            : symbols is not null && i < symbols.Length && symbols[i].Length > 0 ? symbols[i] : "?")) + "]";
    }

    private static string Describe(NodeMetadata node)
        => node.IsTensor ? $"a {node.ElementType.Name} tensor {Shape(node)}" : $"not a tensor ({node.OnnxValueType})";

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
