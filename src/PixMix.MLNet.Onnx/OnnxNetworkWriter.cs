using PixMix.MLNet.Models;
using TorchSharp;
using TorchSharp.Modules;
using static PixMix.MLNet.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace PixMix.MLNet.Onnx;

/// <summary>
/// Writes a network's evaluation-mode forward pass as ONNX nodes: each module kind of <see cref="Models"/> is translated
/// as its <c>forward</c> computes (BatchNorm with its running statistics, dropout as the identity). Initializers take the
/// modules' state_dict names. A module without a translation is refused with its name and type.
/// </summary>
internal sealed class OnnxNetworkWriter(OnnxGraphBuilder graph)
{
    /// <summary>Appends <paramref name="network"/> applied to <paramref name="input"/>; returns the output's name.</summary>
    public string Write(nn.Module network, string input) => Emit(network, "", input);

    private string Emit(nn.Module module, string path, string x)
    {
        switch (module)
        {
            case Conv2d conv: return ConvNode(conv, path, x);
            case BatchNorm2d bn: return BatchNormNode(bn, path, x);
            case ReLU: return graph.Node("Relu", "relu", [x]);
            case MaxPool2d pool: return MaxPoolNode(pool, path, x);
            case Linear linear: return LinearNode(linear, path, x);
            case Sequential sequential:
                foreach (var (name, child) in sequential.named_children()) x = Emit(child, Join(path, name), x);
                return x;
            case SmallCnn:
            {
                var c = Children(module, path);
                x = Emit(c.Get("features"), Join(path, "features"), x);
                return Emit(c.Get("fc"), Join(path, "fc"), Head(x));
            }
            case WideResNet:
            {
                var c = Children(module, path);
                x = Emit(c.Get("conv1"), Join(path, "conv1"), x);
                foreach (var stage in new[] { "block1", "block2", "block3" }) x = Emit(c.Get(stage), Join(path, stage), x);
                x = graph.Node("Relu", "relu", [Emit(c.Get("bn1"), Join(path, "bn1"), x)]);
                return Emit(c.Get("fc"), Join(path, "fc"), Head(x));
            }
            case WideResNetStage:
                return Emit(Children(module, path).Get("layer"), Join(path, "layer"), x);
            case WideBasicBlock:
            {
                var c = Children(module, path);
                var preActivated = graph.Node("Relu", "relu", [Emit(c.Get("bn1"), Join(path, "bn1"), x)]);
                var output = graph.Node("Relu", "relu", [Emit(c.Get("bn2"), Join(path, "bn2"), Emit(c.Get("conv1"), Join(path, "conv1"), preActivated))]);
                output = Emit(c.Get("conv2"), Join(path, "conv2"), output);   // dropout: the identity in evaluation
                var shortcut = c.Find("conv_shortcut") is { } projection ? Emit(projection, Join(path, "conv_shortcut"), preActivated) : x;
                return graph.Node("Add", "add", [shortcut, output]);
            }
            case ResNet:
            {
                var c = Children(module, path);
                x = graph.Node("Relu", "relu", [Emit(c.Get("bn1"), Join(path, "bn1"), Emit(c.Get("conv1"), Join(path, "conv1"), x))]);
                x = Emit(c.Get("maxpool"), Join(path, "maxpool"), x);
                foreach (var stage in new[] { "layer1", "layer2", "layer3", "layer4" }) x = Emit(c.Get(stage), Join(path, stage), x);
                return Emit(c.Get("fc"), Join(path, "fc"), Head(x));
            }
            case ResNetBasicBlock or ResNetBottleneck:
            {
                var c = Children(module, path);
                int convs = module is ResNetBottleneck ? 3 : 2;
                var output = x;
                for (int i = 1; i <= convs; i++)
                {
                    output = Emit(c.Get($"bn{i}"), Join(path, $"bn{i}"), Emit(c.Get($"conv{i}"), Join(path, $"conv{i}"), output));
                    if (i < convs) output = graph.Node("Relu", "relu", [output]);
                }
                var identity = c.Find("downsample") is { } downsample ? Emit(downsample, Join(path, "downsample"), x) : x;
                return graph.Node("Relu", "relu", [graph.Node("Add", "add", [output, identity])]);
            }
            default:
                throw new NotSupportedException(
                    $"ONNX export: the network's module '{(path.Length == 0 ? "(root)" : path)}' of type {module.GetType().FullName} has no ONNX translation; " +
                    "the exporter translates SmallCnn, WideResNet, ResNet-18 and ResNet-50 and their layers (Conv2d, BatchNorm2d, ReLU, MaxPool2d, Linear, Sequential).");
        }
    }

    // adaptive_avg_pool2d(x, 1).flatten(1)
    private string Head(string x) =>
        graph.Node("Flatten", "flatten", [graph.Node("GlobalAveragePool", "pool", [x])], Int("axis", 1));

    private string ConvNode(Conv2d conv, string path, string x)
    {
        var weight = conv.weight ?? throw new NotSupportedException($"ONNX export: the convolution '{path}' has no weight.");
        if (conv.padding_mode != PaddingModes.Zeros)
            throw new NotSupportedException($"ONNX export: the convolution '{path}' pads with {conv.padding_mode}; only zero padding is translated.");
        var pads = conv.padding is { } p ? p : throw new NotSupportedException($"ONNX export: the convolution '{path}' uses 'same' or 'valid' padding; only explicit padding is translated.");
        var inputs = new List<string> { x, graph.Weight(Join(path, "weight"), weight) };
        if (conv.bias is { } bias) inputs.Add(graph.Weight(Join(path, "bias"), bias));
        return graph.Node("Conv", "conv", inputs,
            Ints("kernel_shape", weight.shape[2], weight.shape[3]),
            Ints("strides", conv.stride[0], conv.stride[1]),
            Ints("pads", pads[0], pads[1], pads[0], pads[1]),
            Ints("dilations", conv.dilation[0], conv.dilation[1]),
            Int("group", conv.groups));
    }

    private string BatchNormNode(BatchNorm2d bn, string path, string x)
    {
        var mean = bn.running_mean ?? throw new NotSupportedException($"ONNX export: the BatchNorm '{path}' keeps no running statistics.");
        var variance = bn.running_var ?? throw new NotSupportedException($"ONNX export: the BatchNorm '{path}' keeps no running statistics.");
        long channels = mean.shape[0];
        var scale = bn.weight is { } w ? graph.Weight(Join(path, "weight"), w) : graph.Constant("bn_scale", Enumerable.Repeat(1f, (int)channels).ToArray(), channels);
        var shift = bn.bias is { } b ? graph.Weight(Join(path, "bias"), b) : graph.Constant("bn_bias", new float[channels], channels);
        return graph.Node("BatchNormalization", "bn",
            [x, scale, shift, graph.Weight(Join(path, "running_mean"), mean), graph.Weight(Join(path, "running_var"), variance)],
            Float("epsilon", (float)bn.eps));
    }

    private string MaxPoolNode(MaxPool2d pool, string path, string x)
    {
        long[] kernel = pool.kernel_size, stride = pool.stride ?? pool.kernel_size, padding = pool.padding ?? [0, 0], dilation = pool.dilation ?? [1, 1];
        return graph.Node("MaxPool", "maxpool", [x],
            Ints("kernel_shape", kernel),
            Ints("strides", stride),
            Ints("pads", padding[0], padding[1], padding[0], padding[1]),
            Ints("dilations", dilation),
            Int("ceil_mode", pool.ceil_mode ? 1 : 0));
    }

    private string LinearNode(Linear linear, string path, string x)
    {
        var inputs = new List<string> { x, graph.Weight(Join(path, "weight"), linear.weight!) };
        if (linear.bias is { } bias) inputs.Add(graph.Weight(Join(path, "bias"), bias));
        return graph.Node("Gemm", "gemm", inputs, Int("transB", 1));
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static ChildModules Children(nn.Module module, string path) => new(module, path);

    private readonly struct ChildModules(nn.Module module, string path)
    {
        private readonly Dictionary<string, nn.Module> _children = module.named_children().ToDictionary(c => c.name, c => c.module);

        public nn.Module Get(string name) => Find(name)
            ?? throw new NotSupportedException($"ONNX export: the module '{(path.Length == 0 ? "(root)" : path)}' ({module.GetType().Name}) has no child '{name}'.");

        public nn.Module? Find(string name) => _children.TryGetValue(name, out var child) ? child : null;
    }
}
