using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Onnx;

namespace PixMix.MLNet.Onnx;

/// <summary>
/// Scores image files with an exported ONNX classifier through ML.NET's own transformers only: LoadImages,
/// ResizeImages (to the contract's size, aspect kept, centre-cropped), ExtractPixels (RGB, planar, byte / 255),
/// ApplyOnnxModel, MapValue (predicted index to class name) and CopyColumns (probabilities to the score column). The
/// fitted chain is an ordinary <see cref="TransformerChain{TLastTransformer}"/> that <c>mlContext.Model.Save</c> stores
/// with the ONNX bytes inside, and <c>mlContext.Model.Load</c> restores without this library or the .onnx file.
/// </summary>
public sealed class OnnxImageScoringEstimator : IEstimator<TransformerChain<ITransformer>>
{
    private readonly TransformsCatalog _catalog;
    private readonly string _modelPath;
    private readonly OnnxImageScoringOptions _options;
    private readonly OnnxImageContract _contract;
    private readonly IEstimator<ITransformer> _chain;

    internal OnnxImageScoringEstimator(TransformsCatalog catalog, string modelPath, OnnxImageScoringOptions options)
    {
        _catalog = catalog;
        _modelPath = modelPath;
        _options = options;
        _contract = ReadContract(modelPath);
        try
        {
            _chain = BuildChain();   // ApplyOnnxModel starts its ONNX Runtime session here
        }
        catch (Exception e) when (options.GpuDeviceId is { } device && !options.FallbackToCpu && IsProviderFailure(e))
        {
            throw new InvalidOperationException(
                $"ONNX model '{modelPath}': ONNX Runtime could not start its CUDA provider on GPU {device} ({e.GetBaseException().Message}). " +
                "GPU scoring needs the application to reference Microsoft.ML.OnnxRuntime.Gpu 1.32.0 instead of Microsoft.ML.OnnxRuntime, and a CUDA and cuDNN installation it supports; " +
                "set FallbackToCpu to score on the CPU instead.", e);
        }
    }

    /// <summary>The contract read from the model's metadata (input size, class names).</summary>
    public OnnxImageContract Contract => _contract;

    /// <inheritdoc />
    public TransformerChain<ITransformer> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new TransformerChain<ITransformer>([.. (IEnumerable<ITransformer>)_chain.Fit(input)]);
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => _chain.GetOutputSchema(inputSchema);

    private IEstimator<ITransformer> BuildChain()
    {
        const string loaded = "pixmix_loaded_image", resized = "pixmix_resized_image";
        int size = _contract.InputSize;
        var names = _contract.ClassNames ?? throw new InvalidDataException($"ONNX model '{_modelPath}' names no classes (metadata '{OnnxImageContract.ClassNamesKey}').");
        var classes = names.Select((name, index) => new KeyValuePair<long, string>(index, name));
        var t = _catalog;
        return t.LoadImages(loaded, _options.ImageFolder, _options.ImagePathColumnName)
            .Append(t.ResizeImages(resized, size, size, loaded, ImageResizingEstimator.ResizingKind.IsoCrop))
            .Append(t.ExtractPixels(OnnxImageContract.InputName, resized, ImagePixelExtractingEstimator.ColorBits.Rgb,
                ImagePixelExtractingEstimator.ColorsOrder.ARGB, interleavePixelColors: false, offsetImage: 0f, scaleImage: 1f / 255f, outputAsFloatArray: true))
            .Append(t.ApplyOnnxModel([OnnxImageContract.ProbabilitiesName, OnnxImageContract.PredictedLabelName], [OnnxImageContract.InputName],
                _modelPath, _options.GpuDeviceId, _options.FallbackToCpu))
            .Append(t.Conversion.MapValue(_options.PredictedLabelColumnName, classes, OnnxImageContract.PredictedLabelName))
            .Append(t.CopyColumns(_options.ScoreColumnName, OnnxImageContract.ProbabilitiesName))
            .Append(t.DropColumns(loaded, resized, OnnxImageContract.InputName));
    }

    // The CUDA provider missing from the native runtime (the CPU package), or failing to start.
    private static bool IsProviderFailure(Exception e) =>
        e is EntryPointNotFoundException or DllNotFoundException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException
        || e.InnerException is { } inner && IsProviderFailure(inner);

    /// <summary>Reads the <c>pixmix.</c> contract of an ONNX file; refuses a file without one.</summary>
    internal static OnnxImageContract ReadContract(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX model '{path}' not found.", path);
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"'{path}' is not an ONNX model: {e.Message}", e);
        }
        var props = model.MetadataProps.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        var contract = OnnxImageContract.FromMetadata(props, $"ONNX model '{path}'")
            ?? throw new InvalidDataException($"ONNX model '{path}' carries no '{OnnxImageContract.FormatKey}' metadata; ML.NET scoring of image files needs an exported classifier's contract.");
        if (contract.Layout != OnnxInputLayout.Nchw || !contract.NormalizationFolded)
            throw new InvalidDataException($"ONNX model '{path}': ML.NET scoring of image files needs an NCHW input with the normalization in the graph.");
        return contract;
    }
}
