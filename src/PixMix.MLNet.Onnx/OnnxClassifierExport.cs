using Google.Protobuf;
using Microsoft.ML;
using Onnx;
using PixMix.Imaging.Mixing;
using PixMix.MLNet.Data;
using PixMix.MLNet.Models;
using PixMix.MLNet.Training;
using PixMix.MLNet.Scoring;
using PixMix.MLNet.Transforms;
using static PixMix.MLNet.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace PixMix.MLNet.Onnx;

/// <summary>
/// Builds the ONNX model of a fitted image classifier: input <c>image</c> (RGB, byte / 255, NCHW, S x S), the
/// evaluation transform's centre crop (Slice), the grey conversion of single-channel networks, the normalization
/// (Sub, Div), the network, and the outputs <c>logits</c>, <c>probabilities</c> (Softmax) and <c>predicted_label</c>
/// (ArgMax); the <see cref="OnnxImageContract"/> in <c>metadata_props</c>.
/// </summary>
internal static class OnnxClassifierExport
{
    /// <summary>The operator set written (ONNX 1.12, ONNX Runtime 1.12 and later).</summary>
    internal const long OpsetVersion = 17;
    /// <summary>The IR version of opset 17.</summary>
    internal const long IrVersion = 8;

    /// <summary>The ONNX model of <paramref name="model"/> (a classifier, or a chain holding one).</summary>
    internal static ModelProto Build(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var parts = ChainSteps.Flatten(model);
        var classifier = parts.OfType<ImageClassificationTransformer>().LastOrDefault()
            ?? throw new ArgumentException("ONNX export needs an image classifier (ImageClassificationTransformer); the model has none.", nameof(model));
        var pixmix = parts.OfType<PixMixTransformer>().LastOrDefault();
        var spec = classifier.ModelSpec;
        if (spec.Height != spec.Width)
            throw new ArgumentException($"ONNX export takes square inputs; the network reads {spec.Height}x{spec.Width} images.", nameof(model));
        if (spec.Channels is not (1 or 3))
            throw new ArgumentException($"ONNX export takes RGB images into networks of 1 or 3 channels; the network reads {spec.Channels}.", nameof(model));

        var recipe = pixmix?.Recipe;
        if (recipe is not null && recipe.Size != spec.Height)
            throw new ArgumentException($"The model's PixMix transform makes {recipe.Size}x{recipe.Size} images but its network reads {spec.Height}x{spec.Width}.", nameof(model));
        // The evaluation transform (PixMixImageProcessor.Evaluate): ImageNet's resize then centre crop, else the image as it is.
        int inputSize = recipe?.TrainTransform == TrainTransform.ImageNetResizedCropFlip ? (int)Math.Round(spec.Height * 256.0 / 224.0) : spec.Height;
        float[] mean = Triple(recipe?.Mean ?? [0f]), std = Triple(recipe?.Std ?? [1f]);
        var contract = new OnnxImageContract
        {
            Layout = OnnxInputLayout.Nchw,
            InputSize = inputSize,
            Mean = mean,
            Std = std,
            NormalizationFolded = true,
            ClassNames = classifier.ClassNames.ToArray(),
            Architecture = spec.Architecture == ModelArchitecture.WideResNet ? $"WideResNet-{spec.Depth}-{spec.Widen}" : spec.Architecture.ToString(),
        };
        return Build(classifier.Network, spec, contract, spec.Height);
    }

    /// <summary>The ONNX model of <paramref name="network"/> under <paramref name="contract"/>, cropping to <paramref name="networkSize"/>.</summary>
    internal static ModelProto Build(nn.Module network, ImageModelSpec spec, OnnxImageContract contract, int networkSize)
    {
        var graph = new OnnxGraphBuilder();
        int s = contract.InputSize;
        graph.Graph.Input.Add(BatchedValue(OnnxImageContract.InputName, TensorProto.Types.DataType.Float, 3, s, s));
        string x = OnnxImageContract.InputName;
        if (s != networkSize)
        {
            // ImageTransforms.CenterCrop's offsets.
            long offset = (long)Math.Round((s - networkSize) / 2.0, MidpointRounding.ToEven);
            x = graph.Node("Slice", "crop", [x, graph.Int64Constant("crop_starts", offset, offset),
                graph.Int64Constant("crop_ends", offset + networkSize, offset + networkSize), graph.Int64Constant("crop_axes", 2, 3)]);
        }
        float[] mean = [.. contract.Mean], std = [.. contract.Std];
        if (spec.Channels == 1)
        {
            x = Grey(graph, x);
            mean = [mean.Average()];
            std = [std.Average()];
        }
        // (value - mean) / std, the normalization of PixelLayout.ToPlanar.
        x = graph.Node("Sub", "centred", [x, graph.Constant("mean", mean, 1, mean.Length, 1, 1)]);
        x = graph.Node("Div", "normalized", [x, graph.Constant("std", std, 1, std.Length, 1, 1)]);

        var model = Finish(graph, network, spec, x, $"Image classifier {spec.Describe()}: input '{OnnxImageContract.InputName}' RGB NCHW {s}x{s}, values byte / 255.");
        foreach (var (key, value) in contract.ToMetadata())
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    /// <summary>The name of the network-only model's input: the classifier's features.</summary>
    internal const string FeaturesInputName = "features";

    /// <summary>
    /// The ONNX model of <paramref name="classifier"/>'s network alone: input <c>features</c> [batch, C, H, W], the
    /// classifier's feature column as it is (normalized), and the same outputs. What an engine scoring in place of
    /// TorchSharp runs; not an exported file (it has no contract).
    /// </summary>
    internal static ModelProto BuildNetwork(ImageClassificationTransformer classifier)
    {
        var spec = classifier.ModelSpec;
        var graph = new OnnxGraphBuilder();
        graph.Graph.Input.Add(BatchedValue(FeaturesInputName, TensorProto.Types.DataType.Float, spec.Channels, spec.Height, spec.Width));
        return Finish(graph, classifier.Network, spec, FeaturesInputName, $"Image classifier {spec.Describe()}: input '{FeaturesInputName}', the classifier's features.");
    }

    // The network from x, the outputs logits, probabilities and predicted_label, and the model around the graph.
    private static ModelProto Finish(OnnxGraphBuilder graph, nn.Module network, ImageModelSpec spec, string x, string description)
    {
        var logits = new OnnxNetworkWriter(graph).Write(network, x);
        graph.NodeTo("Identity", OnnxImageContract.LogitsName, [logits]);
        graph.NodeTo("Softmax", OnnxImageContract.ProbabilitiesName, [OnnxImageContract.LogitsName], Int("axis", 1));
        graph.NodeTo("ArgMax", OnnxImageContract.PredictedLabelName, [OnnxImageContract.LogitsName], Int("axis", 1), Int("keepdims", 0));
        graph.Graph.Output.Add(BatchedValue(OnnxImageContract.LogitsName, TensorProto.Types.DataType.Float, spec.Classes));
        graph.Graph.Output.Add(BatchedValue(OnnxImageContract.ProbabilitiesName, TensorProto.Types.DataType.Float, spec.Classes));
        graph.Graph.Output.Add(BatchedValue(OnnxImageContract.PredictedLabelName, TensorProto.Types.DataType.Int64));

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "PixMix.MLNet",
            ProducerVersion = typeof(OnnxClassifierExport).Assembly.GetName().Version?.ToString() ?? "",
            DocString = description,
            Graph = graph.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        return model;
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="stream"/>.</summary>
    internal static void Write(ModelProto model, Stream stream)
    {
        if (model.CalculateSize() < 0) throw new InvalidOperationException("The ONNX model exceeds protobuf's 2 GB message size.");
        model.WriteTo(stream);
    }

    // ColorConversions.Luma on the bytes: round(value * 255), (19595 r + 38470 g + 7471 b + 32768) >> 16, / 255. Every
    // intermediate is an integer below 2^24, so float arithmetic computes it exactly.
    private static string Grey(OnnxGraphBuilder graph, string x)
    {
        var bytes = graph.Node("Round", "bytes", [graph.Node("Mul", "scaled", [x, graph.Constant("byte_scale", [255f])])]);
        var weighted = graph.Node("Conv", "luma_sum", [bytes, graph.Constant("luma_weights", [19595f, 38470f, 7471f], 1, 3, 1, 1), graph.Constant("luma_rounding", [32768f], 1)],
            Ints("kernel_shape", 1, 1));
        var luma = graph.Node("Floor", "luma", [graph.Node("Div", "luma_shift", [weighted, graph.Constant("luma_divisor", [65536f])])]);
        return graph.Node("Div", "grey", [luma, graph.Constant("byte_divisor", [255f])]);
    }

    private static float[] Triple(float[] values) => values.Length == 3 ? [.. values] : [values[0], values[0], values[0]];
}
