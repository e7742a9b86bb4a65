using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.Imaging;

namespace PixMix.MLNet.Onnx;

/// <summary>
/// The first step of an ONNX classifier's chain: an (H, W, C) pixel column (bytes, or floats 0..255; 3 channels, or 1
/// replicated to R, G and B) becomes the graph's input tensor, <c>(x / 255 - mean[c]) * (1 / std[c])</c> laid out as
/// the contract says: the operations and their order of <see cref="PixelLayout.ToPlanar(ReadOnlySpan{byte}, Span{float}, int, ReadOnlySpan{float}, ReadOnlySpan{float})"/>,
/// so NCHW and NHWC inputs hold the same values. An ML.NET custom mapping, scored row by row.
/// </summary>
internal static class OnnxInputTensor
{
    public sealed class BytePixels
    {
        public VBuffer<byte> Pixels;
    }

    public sealed class FloatPixels
    {
        public VBuffer<float> Pixels;
    }

    public sealed class Tensor
    {
        public VBuffer<float> Values;
    }

    /// <summary>The mapping estimator from <paramref name="column"/> (checked against the classifier's input size) to the input tensor column.</summary>
    public static IEstimator<ITransformer> Estimator(MLContext context, DataViewSchema.Column column, OnnxImageClassifierInfo info)
    {
        var contract = info.Contract;
        int size = contract.InputSize;
        if (column.Type is not VectorDataViewType { Dimensions.Length: 3 } type || (type.ItemType != NumberDataViewType.Byte && type.ItemType != NumberDataViewType.Single)
            || type.Dimensions[0] != size || type.Dimensions[1] != size || type.Dimensions[2] is not (1 or 3))
            throw new ArgumentException(
                $"Column '{column.Name}' is {column.Type}; ONNX model '{info.ModelPath}' takes {size}x{size} images: a byte or float vector of shape ({size}, {size}, 3) or ({size}, {size}, 1).");
        int channels = type.Dimensions[2];
        var mean = info.AppliedMean.ToArray();
        var std = info.AppliedStd.ToArray();
        var inverse = std.Select(s => 1f / s).ToArray();   // as PixelLayout computes it
        var tensorType = contract.Layout == OnnxInputLayout.Nchw
            ? new VectorDataViewType(NumberDataViewType.Single, 3, size, size)
            : new VectorDataViewType(NumberDataViewType.Single, size, size, 3);
        var output = SchemaDefinition.Create(typeof(Tensor));
        output[0].ColumnName = info.InputTensorName;
        output[0].ColumnType = tensorType;
        bool planar = contract.Layout == OnnxInputLayout.Nchw;
        int pixels = size * size;

        if (type.ItemType == NumberDataViewType.Byte)
        {
            var input = SchemaDefinition.Create(typeof(BytePixels));
            input[0].ColumnName = column.Name;
            input[0].ColumnType = type;
            return context.Transforms.CustomMapping<BytePixels, Tensor>(
                (src, dst) => Map(src.Pixels.GetValues(), ref dst.Values, pixels, channels, planar, mean, std, inverse), contractName: null, input, output);
        }
        var floats = SchemaDefinition.Create(typeof(FloatPixels));
        floats[0].ColumnName = column.Name;
        floats[0].ColumnType = type;
        return context.Transforms.CustomMapping<FloatPixels, Tensor>(
            (src, dst) => Map(src.Pixels.GetValues(), ref dst.Values, pixels, channels, planar, mean, inverse), contractName: null, floats, output);
    }

    private static void Map(ReadOnlySpan<byte> hwc, ref VBuffer<float> destination, int pixels, int channels, bool planar, float[] mean, float[] std, float[] inverse)
    {
        if (hwc.Length != pixels * channels) throw new InvalidDataException($"An image row holds {hwc.Length} values; expected {pixels * channels} (a dense (H, W, C) vector).");
        var editor = VBufferEditor.Create(ref destination, pixels * 3);
        var values = editor.Values;
        if (planar && channels == 3) PixelLayout.ToPlanar(hwc, values, 3, mean, std);
        else
            for (int p = 0; p < pixels; p++)
                for (int c = 0; c < 3; c++)
                    values[planar ? c * pixels + p : p * 3 + c] = (hwc[p * channels + (channels == 3 ? c : 0)] / 255f - mean[c]) * inverse[c];
        destination = editor.Commit();
    }

    private static void Map(ReadOnlySpan<float> hwc, ref VBuffer<float> destination, int pixels, int channels, bool planar, float[] mean, float[] inverse)
    {
        if (hwc.Length != pixels * channels) throw new InvalidDataException($"An image row holds {hwc.Length} values; expected {pixels * channels} (a dense (H, W, C) vector).");
        var editor = VBufferEditor.Create(ref destination, pixels * 3);
        var values = editor.Values;
        for (int p = 0; p < pixels; p++)
            for (int c = 0; c < 3; c++)
                values[planar ? c * pixels + p : p * 3 + c] = (hwc[p * channels + (channels == 3 ? c : 0)] / 255f - mean[c]) * inverse[c];
        destination = editor.Commit();
    }
}
