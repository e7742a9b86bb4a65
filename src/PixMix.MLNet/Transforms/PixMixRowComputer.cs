namespace PixMix.MLNet.Transforms;

/// <summary>
/// Computes the PixMix output of the current row of one input row or cursor: reads the pixels, runs the
/// deterministic evaluation path or (inside an <see cref="AugmentationPass"/>) the augmentation with the row's own
/// random stream, and keeps the result until the row changes. One per cursor: its buffers and workspace are reused
/// for every row, so steady-state rows allocate nothing. It gives the output column's values to the appended-column
/// view and mapper (<see cref="IAppendedValues"/>).
/// </summary>
internal sealed class PixMixRowComputer : IAppendedValues
{
    private readonly PixMixImageProcessor _processor;
    private readonly PixMixImageProcessor.Workspace _workspace = new();
    private readonly PixelReader _reader;
    private readonly ValueGetter<DataViewRowId>? _idGetter;
    private readonly long _seed, _epoch;
    private readonly float[] _output;
    private readonly string _columnName;
    private readonly int _size;
    private readonly bool _sizeOnly;
    private readonly DataViewRow _input;
    private readonly bool _perPosition;
    private long _computedPosition = -1;
    private DataViewRowId _id;

    /// <summary>
    /// The computer of <paramref name="input"/>'s rows, augmenting inside <paramref name="pass"/>. With
    /// <paramref name="perPosition"/> (cursors) a row is computed once per position; else (a mapped row, which may change
    /// without moving) every read computes.
    /// </summary>
    public PixMixRowComputer(PixMixTransformer transformer, PixMixBinding binding, DataViewRow input, AugmentationPass? pass, bool perPosition)
    {
        _input = input; _perPosition = perPosition;
        _reader = PixelReader.Create(binding, input, transformer.FloatRange);
        if (pass is null) _processor = transformer.GetEvaluator(binding.OutputChannels);
        else
        {
            _processor = transformer.GetAugmenter(binding.OutputChannels);
            _idGetter = input.GetIdGetter();
            _seed = transformer.Seed; _epoch = pass.Epoch;
        }
        _output = new float[binding.OutputType.Size];
        _columnName = binding.InputColumn.Name;
        _size = transformer.Recipe.Size;
        _sizeOnly = PixMixBinding.ReadsItsSizeOnly(transformer.Recipe);
    }

    /// <summary>The output of the last computed row.</summary>
    public ReadOnlySpan<float> Output => _output;

    /// <summary>Whether rows are augmented (inside a pass) rather than evaluated.</summary>
    public bool Augmenting => _idGetter is not null;

    /// <summary>The output of the current row (valid until the next call).</summary>
    public ReadOnlySpan<float> Compute(long position)
    {
        var image = _reader.Read(position);
        // Images whose size the schema does not give (ML.NET images of any size) are checked row by row.
        if (_sizeOnly && (image.Width != _size || image.Height != _size))
            throw new InvalidOperationException($"Row {position}: {PixMixBinding.SizeMismatch(_columnName, image.Height, image.Width, _size)}");
        if (_idGetter is null)
        {
            _processor.Evaluate(image, _output, _workspace);
        }
        else
        {
            _idGetter(ref _id);
            var rng = PixMixRandom.For(_seed, _epoch, RowIndex(_id));
            _processor.Augment(image, _output, ref rng, _workspace);
        }
        return _output;
    }

    /// <summary>
    /// The row index that seeds a row's random stream: the row id's low word (the row's position in the source for
    /// in-memory, text, binary and image-source views), mixed with the high word when there is one. Row ids are the
    /// same whatever the number of cursors and the shuffling, so each row's augmentation is too.
    /// </summary>
    internal static long RowIndex(DataViewRowId id) => unchecked((long)(id.Low ^ (id.High * 0x9E3779B97F4A7C15UL)));

    /// <inheritdoc />
    public Delegate Getter(DataViewSchema.Column column)
    {
        ValueGetter<VBuffer<float>> getter = _perPosition
            ? (ref VBuffer<float> value) =>
            {
                long position = _input.Position;
                if (position < 0) throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
                if (_computedPosition != position)
                {
                    Compute(position);
                    _computedPosition = position;
                }
                CopyTo(_output, ref value);
            }
            : (ref VBuffer<float> value) => CopyTo(Compute(_input.Position), ref value);
        return getter;
    }

    /// <inheritdoc />
    public void Dispose() { }

    /// <summary>Copies <paramref name="values"/> into <paramref name="destination"/>, reusing its buffers.</summary>
    public static void CopyTo(ReadOnlySpan<float> values, ref VBuffer<float> destination)
    {
        var editor = VBufferEditor.Create(ref destination, values.Length);
        values.CopyTo(editor.Values);
        destination = editor.Commit();
    }
}
