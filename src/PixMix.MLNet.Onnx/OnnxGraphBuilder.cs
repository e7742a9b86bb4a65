using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace PixMix.MLNet.Onnx;

/// <summary>
/// Accumulates an ONNX graph (nodes in execution order, constant initializers, unique value names) through the
/// generated OnnxSharp protobuf classes.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private int _next;

    /// <summary>The graph being built.</summary>
    public GraphProto Graph { get; } = new() { Name = "pixmix_classifier" };

    /// <summary>A fresh value name with <paramref name="hint"/> for readability.</summary>
    public string NewName(string hint) => $"{hint}_{_next++}";

    /// <summary>Adds a node of <paramref name="opType"/>; returns its (single) output name.</summary>
    public string Node(string opType, string hint, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        NodeTo(opType, NewName(hint), inputs, attributes);

    /// <summary>Adds a node writing to the given output name.</summary>
    public string NodeTo(string opType, string output, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{Graph.Node.Count}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>Adds a float initializer of the given shape.</summary>
    public string Constant(string hint, ReadOnlySpan<float> values, params long[] shape)
    {
        var tensor = new TensorProto { Name = NewName(hint), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(shape);
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds an int64 initializer of the given values (a 1-d tensor).</summary>
    public string Int64Constant(string hint, params long[] values)
    {
        var tensor = new TensorProto { Name = NewName(hint), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>
    /// Adds a TorchSharp tensor (a parameter or buffer) as a float initializer under the name <paramref name="name"/>:
    /// its values in logical (NCHW) order whatever its memory format, so channels-last weights export as they compute.
    /// </summary>
    public string Weight(string name, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var values = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(values.shape);
        proto.RawData = ByteString.CopyFrom(values.bytes);
        Graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>A float tensor's value info with a symbolic batch dimension followed by fixed ones.</summary>
    public static ValueInfoProto BatchedValue(string name, TensorProto.Types.DataType type, params long[] fixedDims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (var d in fixedDims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };
}
