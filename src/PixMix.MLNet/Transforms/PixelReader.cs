using System.Runtime.InteropServices;

namespace PixMix.MLNet.Transforms;

/// <summary>
/// Reads the input column of the current row into an <see cref="ImageU8"/> (HWC, 1 or 3 channels) whose buffer is
/// reused from row to row. One per cursor; not thread-safe.
/// </summary>
internal abstract class PixelReader
{
    private ImageU8? _image;

    protected PixelReader(string columnName) => ColumnName = columnName;

    protected string ColumnName { get; }

    /// <summary>Reads the current row; <paramref name="rowIndex"/> names the row in error messages.</summary>
    public abstract ImageU8 Read(long rowIndex);

    /// <summary>A reader of the binding's input column on <paramref name="row"/>.</summary>
    public static PixelReader Create(PixMixBinding binding, DataViewRow row, PixelValueRange floatRange)
    {
        var column = row.Schema[binding.InputColumnIndex];
        return binding.Kind switch
        {
            PixMixInputKind.Image => new MLImageReader(column.Name, row.GetGetter<MLImage>(column)),
            PixMixInputKind.ByteVector => new ByteVectorReader(column.Name, row.GetGetter<VBuffer<byte>>(column), binding.Shape!.Value),
            _ => new FloatVectorReader(column.Name, row.GetGetter<VBuffer<float>>(column), binding.Shape!.Value,
                floatRange == PixelValueRange.ZeroToOne ? 255f : 1f),
        };
    }

    /// <summary>The reused image of the given shape (reallocated only when the shape changes).</summary>
    protected ImageU8 Image(int width, int height, int channels)
    {
        if (_image is null || _image.Width != width || _image.Height != height || _image.Channels != channels)
            _image = new ImageU8(width, height, channels);
        return _image;
    }

    /// <summary>Copies HWC bytes with 1, 3 or 4 channels into an image with 1 or 3 (alpha dropped).</summary>
    protected ImageU8 FromHwc(ReadOnlySpan<byte> hwc, ImageShape shape)
    {
        var image = Image(shape.Width, shape.Height, shape.Channels == 4 ? 3 : shape.Channels);
        if (shape.Channels != 4) { hwc.CopyTo(image.Span); return image; }
        var dst = image.Span;
        for (int p = 0, n = shape.Width * shape.Height; p < n; p++)
        {
            dst[3 * p] = hwc[4 * p]; dst[3 * p + 1] = hwc[4 * p + 1]; dst[3 * p + 2] = hwc[4 * p + 2];
        }
        return image;
    }

    protected void CheckLength(int length, ImageShape shape, long rowIndex)
    {
        if (length != shape.Length)
            throw new InvalidOperationException($"Row {rowIndex} of column '{ColumnName}' holds {length} values; an image of shape {shape} (height x width x channels) needs {shape.Length}.");
    }

    private sealed class MLImageReader(string columnName, ValueGetter<MLImage> getter) : PixelReader(columnName)
    {
        private MLImage? _value;

        public override ImageU8 Read(long rowIndex)
        {
            getter(ref _value!);
            var mlImage = _value ?? throw new InvalidOperationException($"Row {rowIndex} of column '{ColumnName}' has no image (was the file missing or unreadable?).");
            var image = Image(mlImage.Width, mlImage.Height, 3);
            Data.ImageSourceRows.ToRgb(mlImage, image.Span, ColumnName, rowIndex);
            return image;
        }
    }

    private sealed class ByteVectorReader(string columnName, ValueGetter<VBuffer<byte>> getter, ImageShape shape) : PixelReader(columnName)
    {
        private VBuffer<byte> _value;
        private byte[] _dense = [];

        public override ImageU8 Read(long rowIndex)
        {
            getter(ref _value);
            CheckLength(_value.Length, shape, rowIndex);
            if (_value.IsDense) return FromHwc(_value.GetValues(), shape);
            if (_dense.Length != shape.Length) _dense = new byte[shape.Length];
            Array.Clear(_dense);
            var indices = _value.GetIndices(); var values = _value.GetValues();
            for (int i = 0; i < indices.Length; i++) _dense[indices[i]] = values[i];
            return FromHwc(_dense, shape);
        }
    }

    private sealed class FloatVectorReader(string columnName, ValueGetter<VBuffer<float>> getter, ImageShape shape, float scale) : PixelReader(columnName)
    {
        private VBuffer<float> _value;
        private byte[] _bytes = [];

        public override ImageU8 Read(long rowIndex)
        {
            getter(ref _value);
            CheckLength(_value.Length, shape, rowIndex);
            if (_bytes.Length != shape.Length) _bytes = new byte[shape.Length];
            if (_value.IsDense) ToBytes(_value.GetValues(), _bytes, scale);
            else
            {
                Array.Clear(_bytes);
                var indices = _value.GetIndices(); var values = _value.GetValues();
                for (int i = 0; i < indices.Length; i++) _bytes[indices[i]] = ToByte(values[i], scale);
            }
            return FromHwc(_bytes, shape);
        }

        private static void ToBytes(ReadOnlySpan<float> values, Span<byte> bytes, float scale)
        {
            for (int i = 0; i < values.Length; i++) bytes[i] = ToByte(values[i], scale);
        }

        // Rounded to the nearest integer and clamped to 0..255; NaN reads as 0.
        private static byte ToByte(float v, float scale)
        {
            float x = v * scale + 0.5f;
            return x >= 255f ? (byte)255 : x > 0f ? (byte)x : (byte)0;
        }
    }
}
