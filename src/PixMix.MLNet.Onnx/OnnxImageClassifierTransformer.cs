using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.MLNet.Evaluation;

namespace PixMix.MLNet.Onnx;

/// <summary>
/// A fitted ONNX image classifier (from <see cref="OnnxImageClassifierEstimator"/>): appends the graph's input tensor,
/// its output, <c>Score</c> and <c>PredictedLabel</c>. Rows keep their order: ML.NET's row mappers would otherwise split
/// data that offers parallel cursors among threads and deliver the rows in the order the threads finish, so the chain
/// reads its input through one cursor (ONNX Runtime parallelizes inside each run instead). ONNX Runtime gives no
/// gradients, so <c>EvaluateSafety</c> reports the PGD attack as not evaluated (<see cref="IGradientFreeScoring"/>).
/// </summary>
public sealed class OnnxImageClassifierTransformer : ITransformer, IGradientFreeScoring, IDisposable
{
    /// <summary>Why the PGD attack cannot run on a model scored by ONNX Runtime.</summary>
    public const string PgdReason =
        "The PGD attack needs the gradient of the loss with respect to the input pixels; a model scored by ONNX Runtime gives no gradients.";

    private readonly TransformerChain<ITransformer> _chain;

    internal OnnxImageClassifierTransformer(OnnxImageClassifierInfo info, TransformerChain<ITransformer> chain)
    {
        Info = info;
        _chain = chain;
    }

    /// <summary>The classifier as it is scored: tensors, class count, the contract in force.</summary>
    public OnnxImageClassifierInfo Info { get; }

    /// <summary>The steps: the input tensor's mapping, ML.NET's ONNX transformer, the scores' mapping.</summary>
    public TransformerChain<ITransformer> Chain => _chain;

    /// <inheritdoc />
    public string NoGradientsReason => PgdReason;

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _chain.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => ((ITransformer)_chain).GetRowToRowMapper(inputSchema);

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new OneCursorView(_chain.Transform(new OneCursorView(input)));
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException($"An ONNX image classifier is not saved: it is rebuilt from its ONNX file ('{Info.ModelPath}') and options with mlContext.Transforms.OnnxImageClassifier.");

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose()
    {
        foreach (var part in _chain) (part as IDisposable)?.Dispose();
    }

    /// <summary>A view that gives one cursor where a set is asked for, so no row mapper above it splits the rows among threads.</summary>
    private sealed class OneCursorView(IDataView source) : IDataView
    {
        public bool CanShuffle => source.CanShuffle;
        public DataViewSchema Schema => source.Schema;
        public long? GetRowCount() => source.GetRowCount();
        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => source.GetRowCursor(columnsNeeded, rand);
        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [source.GetRowCursor(columnsNeeded, rand)];
    }
}
