using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace PixMix.MLNet.Onnx;

/// <summary>
/// Scores images with an ONNX image classifier from anywhere (PyTorch, Keras, this library's export): a chain of three
/// ML.NET transformers, the pixels to the graph's input tensor (layout, size and per-channel normalization of the
/// contract in force), ML.NET's <c>ApplyOnnxModel</c> (ONNX Runtime), and the output to <c>Score</c> (probabilities)
/// and <c>PredictedLabel</c> (a key whose key values are the class names). The chain is what
/// <c>mlContext.MulticlassClassification.EvaluateSafety</c> evaluates, as it evaluates this library's own models.
/// Create it with <c>mlContext.Transforms.OnnxImageClassifier(path, options)</c>.
/// </summary>
/// <remarks>
/// The file is read and checked when the estimator is created (<see cref="Info"/>); a file without the <c>pixmix.</c>
/// contract needs the layout and the normalization in the options (<see cref="OnnxSettingRequiredException"/>). The
/// application references an ONNX Runtime native package (Microsoft.ML.OnnxRuntime for the CPU). ML.NET scores
/// ONNX models row by row. The fitted transformer holds the ONNX Runtime session: dispose it when done.
/// </remarks>
public sealed class OnnxImageClassifierEstimator : IEstimator<OnnxImageClassifierTransformer>
{
    private readonly MLContext _context;
    private readonly OnnxImageClassifierOptions _options;

    /// <summary>Reads and checks <paramref name="modelPath"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model, or not an image classifier's (shapes, types), or its metadata is malformed.</exception>
    /// <exception cref="ArgumentException">An option contradicts the graph, or one the file does not give is missing (<see cref="OnnxSettingRequiredException"/>).</exception>
    public OnnxImageClassifierEstimator(MLContext context, string modelPath, OnnxImageClassifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _options = options?.Clone() ?? new OnnxImageClassifierOptions();
        if (string.IsNullOrWhiteSpace(_options.ImageColumnName)) throw new ArgumentException("OnnxImageClassifierOptions.ImageColumnName must name a column.", nameof(options));
        Info = OnnxClassifierGraph.Inspect(modelPath, _options);
    }

    /// <summary>The classifier as it will be scored: tensors, class count, the contract in force and where each setting came from.</summary>
    public OnnxImageClassifierInfo Info { get; }

    /// <summary>The image column read.</summary>
    public string ImageColumnName => _options.ImageColumnName;

    /// <summary>Builds the chain for data of <paramref name="input"/>'s schema; nothing is read.</summary>
    /// <exception cref="ArgumentException">The image column is missing or is not of the classifier's input size.</exception>
    public OnnxImageClassifierTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = input.Schema.GetColumnOrNull(_options.ImageColumnName)
            ?? throw new ArgumentException($"The data has no image column '{_options.ImageColumnName}' for ONNX model '{Info.ModelPath}' (columns: {string.Join(", ", input.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}).", nameof(input));
        var prepare = OnnxInputTensor.Estimator(_context, column, Info).Fit(input);
        var prepared = prepare.Transform(input);
        var onnx = _context.Transforms.ApplyOnnxModel(OnnxOptions()).Fit(prepared);
        try
        {
            var scored = onnx.Transform(prepared);
            var scores = OnnxClassScores.Estimator(_context, scored.Schema[Info.OutputTensorName], Info).Fit(scored);
            return new OnnxImageClassifierTransformer(Info, new TransformerChain<ITransformer>(prepare, onnx, scores));
        }
        catch
        {
            onnx.Dispose();
            throw;
        }
    }

    /// <summary>The output columns: the input's, the graph's input and output tensors, <c>Score</c> and <c>PredictedLabel</c>.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var image = inputSchema.LastOrDefault(c => c.Name == _options.ImageColumnName);
        if (image.Name is null || image.Kind != SchemaShape.Column.VectorKind.Vector
            || (image.ItemType != NumberDataViewType.Byte && image.ItemType != NumberDataViewType.Single))
            throw new ArgumentException($"The data has no image column '{_options.ImageColumnName}' (a byte or float vector) for ONNX model '{Info.ModelPath}'.", nameof(inputSchema));
        int s = Info.Contract.InputSize;
        var imageType = new VectorDataViewType((PrimitiveDataViewType)image.ItemType, s, s, 3);
        var shape = OnnxInputTensor.Estimator(_context, Column(_options.ImageColumnName, imageType), Info).GetOutputSchema(inputSchema);
        shape = _context.Transforms.ApplyOnnxModel(OnnxOptions()).GetOutputSchema(shape);
        var scores = new VectorDataViewType(NumberDataViewType.Single, Info.ClassCount);
        return OnnxClassScores.Estimator(_context, Column(Info.OutputTensorName, scores), Info).GetOutputSchema(shape);
    }

    private OnnxOptions OnnxOptions() => new()
    {
        ModelFile = Info.ModelPath,
        InputColumns = [Info.InputTensorName],
        OutputColumns = [Info.OutputTensorName],
        // A graph with dynamic dimensions is run at the contract's size, one image at a time (ML.NET's rows).
        ShapeDictionary = new Dictionary<string, int[]> { [Info.InputTensorName] = InputShape() },
    };

    private static DataViewSchema.Column Column(string name, DataViewType type)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(name, type);
        return builder.ToSchema()[0];
    }

    private int[] InputShape()
    {
        int s = Info.Contract.InputSize;
        return Info.Contract.Layout == OnnxInputLayout.Nchw ? [1, 3, s, s] : [1, s, s, 3];
    }
}
