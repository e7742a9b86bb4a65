using Microsoft.ML.Transforms.Image;

namespace PixMix.MLNet.Data;

/// <summary>
/// An <see cref="IDataView"/> over an <see cref="IImageSource"/>: a column of pixels as a byte vector of shape
/// (height, width, channels) (HWC, the layout of the data files) and, when the source has labels, a key-typed
/// label column whose key values are the class names. Rows are read lazily; nothing is held in memory.
/// </summary>
public sealed class ImageSourceDataView : IDataView
{
    private readonly IImageSource _source;
    private readonly int _imageCol;
    private readonly int _labelCol = -1;
    private readonly int _classCount;

    private readonly ImageColumnFormat _format;
    private readonly int[]? _labelMap;

    /// <summary>Creates the view; column names default to "Image" and "Label".</summary>
    public ImageSourceDataView(IImageSource source, string imageColumnName = "Image", string labelColumnName = "Label", int? classCount = null)
        : this(source, imageColumnName, ImageColumnFormat.Bytes, labelColumnName, classCount, classNames: null, labelMap: null)
    {
    }

    /// <summary>
    /// The general form: the image column as <paramref name="format"/> (bytes or floats of shape (H, W, C), or an
    /// <c>MLImage</c> of the source's size), and the label column (when <paramref name="labelColumnName"/> is not null and
    /// the source has labels) with <paramref name="classNames"/> as its key values (default: the source's class names),
    /// each label passed through <paramref name="labelMap"/> when given.
    /// </summary>
    internal ImageSourceDataView(IImageSource source, string imageColumnName, ImageColumnFormat format, string? labelColumnName, int? classCount,
        IReadOnlyList<string>? classNames, int[]? labelMap)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _format = format;
        _labelMap = labelMap;
        var builder = new DataViewSchema.Builder();
        DataViewType imageType = format switch
        {
            ImageColumnFormat.Bytes => new VectorDataViewType(NumberDataViewType.Byte, source.Height, source.Width, source.Channels),
            ImageColumnFormat.Floats => new VectorDataViewType(NumberDataViewType.Single, source.Height, source.Width, source.Channels),
            _ => new ImageDataViewType(source.Height, source.Width),
        };
        builder.AddColumn(imageColumnName, imageType);
        _imageCol = 0;
        if (source.HasLabels && labelColumnName is not null)
        {
            _classCount = classCount ?? classNames?.Count ?? source.ClassNames?.Count ?? InferClassCount(source);
            if (_classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), _classCount, "classCount must be >= 1.");
            var given = classNames ?? source.ClassNames;
            var names = new ReadOnlyMemory<char>[_classCount];
            for (int i = 0; i < _classCount; i++)
                names[i] = (given is { } cn && i < cn.Count ? cn[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture)).AsMemory();
            var ann = new DataViewSchema.Annotations.Builder();
            ann.Add("KeyValues", new VectorDataViewType(TextDataViewType.Instance, _classCount),
                (ref VBuffer<ReadOnlyMemory<char>> v) => v = new VBuffer<ReadOnlyMemory<char>>(names.Length, (ReadOnlyMemory<char>[])names.Clone()));
            builder.AddColumn(labelColumnName, new KeyDataViewType(typeof(uint), _classCount), ann.ToAnnotations());
            _labelCol = 1;
        }
        Schema = builder.ToSchema();
    }

    private static int InferClassCount(IImageSource source)
    {
        int max = -1;
        for (long i = 0; i < source.Count; i++) max = Math.Max(max, source.ReadLabel(i));
        return max + 1;
    }

    /// <summary>The source of the rows.</summary>
    public IImageSource Source => _source;
    /// <summary>Number of classes of the label column (0 without labels).</summary>
    public int ClassCount => _classCount;
    /// <inheritdoc />
    public bool CanShuffle => false;
    /// <inheritdoc />
    public DataViewSchema Schema { get; }
    /// <inheritdoc />
    public long? GetRowCount() => _source.Count;

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this, columnsNeeded, 0, _source.Count, batch: 0);

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        long count = _source.Count;
        n = (int)Math.Clamp(n, 1, Math.Max(1, count));
        var cursors = new DataViewRowCursor[n];
        // Cursor i serves the i-th contiguous block of rows as batch i: ML.NET's consolidating cursors (what a row mapper
        // downstream builds from this set when one cursor is asked of it) order rows by batch, so they come back in the
        // source's order.
        for (int i = 0; i < n; i++)
            cursors[i] = new Cursor(this, columnsNeeded, count * i / n, count * (i + 1) / n, batch: i);
        return cursors;
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ImageSourceDataView _parent;
        private readonly bool[] _active;
        private readonly long _start, _end, _batch;
        private long _row = -1;
        private MLImage? _lastImage;

        public Cursor(ImageSourceDataView parent, IEnumerable<DataViewSchema.Column> columns, long start, long end, long batch)
        {
            _parent = parent; _start = start; _end = end; _batch = batch;
            _active = new bool[parent.Schema.Count];
            foreach (var c in columns) _active[c.Index] = true;
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _row < 0 ? -1 : _row - _start;
        public override long Batch => _batch;

        protected override void Dispose(bool disposing)
        {
            if (disposing) { _lastImage?.Dispose(); _lastImage = null; }
            base.Dispose(disposing);
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override bool MoveNext()
        {
            _row = _row < 0 ? _start : _row + 1;
            return _row < _end;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_row, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index]) throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            if (column.Index == _parent._imageCol)
            {
                var src = _parent._source;
                int len = src.Width * src.Height * src.Channels;
                switch (_parent._format)
                {
                    case ImageColumnFormat.Bytes:
                    {
                        ValueGetter<VBuffer<byte>> g = (ref VBuffer<byte> dst) =>
                        {
                            var editor = VBufferEditor.Create(ref dst, len);
                            src.ReadImage(_row, editor.Values);
                            dst = editor.Commit();
                        };
                        if (g is ValueGetter<TValue> gi) return gi;
                        break;
                    }
                    case ImageColumnFormat.Floats:
                    {
                        var pixels = new byte[len];
                        ValueGetter<VBuffer<float>> g = (ref VBuffer<float> dst) =>
                        {
                            src.ReadImage(_row, pixels);
                            var editor = VBufferEditor.Create(ref dst, len);
                            for (int i = 0; i < len; i++) editor.Values[i] = pixels[i];
                            dst = editor.Commit();
                        };
                        if (g is ValueGetter<TValue> gi) return gi;
                        break;
                    }
                    default:
                    {
                        var pixels = new byte[len];
                        var rgba = new byte[src.Width * src.Height * 4];
                        ValueGetter<MLImage> g = (ref MLImage dst) =>
                        {
                            src.ReadImage(_row, pixels);
                            ImageSourceRows.ToRgba(pixels, src.Channels, rgba);
                            // The cursor owns the images it made: the previous one is released as the next is made.
                            if (dst is not null && ReferenceEquals(dst, _lastImage)) dst.Dispose();
                            dst = MLImage.CreateFromPixels(src.Width, src.Height, MLPixelFormat.Rgba32, rgba);
                            _lastImage = dst;
                        };
                        if (g is ValueGetter<TValue> gi) return gi;
                        break;
                    }
                }
            }
            else if (column.Index == _parent._labelCol)
            {
                ValueGetter<uint> g = (ref uint dst) =>
                {
                    int label = _parent._source.ReadLabel(_row);
                    if (_parent._labelMap is { } map) label = label >= 0 && label < map.Length ? map[label] : -1;
                    dst = label >= 0 && label < _parent._classCount ? (uint)label + 1 : 0;
                };
                if (g is ValueGetter<TValue> gi) return gi;
            }
            throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}, not {typeof(TValue)}.");
        }
    }
}
