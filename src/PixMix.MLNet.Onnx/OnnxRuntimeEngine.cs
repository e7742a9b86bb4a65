using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using PixMix.MLNet.Models;
using PixMix.MLNet.Training;
using PixMix.MLNet.Scoring;

namespace PixMix.MLNet.Onnx;

/// <summary>
/// Scores a trained <see cref="ImageClassificationTransformer"/> through ONNX Runtime: its network is exported in
/// memory (the features as they are, the network, Softmax) and each batch the classifier's scoring reads ahead
/// (its evaluation batch size, 256 by default) is one ONNX Runtime run. Probabilities agree with TorchSharp's to
/// float rounding (about 1e-6), so a near tie can pick the other class: TorchSharp stays the default engine
/// wherever exact agreement with ML.NET's <c>Evaluate</c> matters. Needs the application's native ONNX Runtime
/// (<c>Microsoft.ML.OnnxRuntime</c> 1.32.0 for the CPU).
/// </summary>
public sealed class OnnxRuntimeEngine : IImageClassifierEngine
{
    private static readonly string[] s_inputNames = [OnnxClassifierExport.FeaturesInputName];
    private static readonly string[] s_outputNames = [OnnxImageContract.ProbabilitiesName];

    private readonly InferenceSession _session;
    private readonly ImageModelSpec _spec;

    private OnnxRuntimeEngine(InferenceSession session, ImageModelSpec spec)
    {
        _session = session;
        _spec = spec;
    }

    /// <summary>The engine's name in reports: "onnxruntime".</summary>
    public const string EngineName = "onnxruntime";

    /// <inheritdoc />
    public string Name => EngineName;

    /// <summary>An engine for <paramref name="classifier"/>: its network exported in memory and loaded into ONNX Runtime.</summary>
    /// <exception cref="NotSupportedException">The network has a module without an ONNX translation (named).</exception>
    /// <exception cref="InvalidOperationException">ONNX Runtime's native library is missing or cannot load the graph.</exception>
    public static OnnxRuntimeEngine For(ImageClassificationTransformer classifier, OnnxRuntimeEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        options ??= new OnnxRuntimeEngineOptions();
        options.Validate();
        byte[] model = OnnxClassifierExport.BuildNetwork(classifier).ToByteArray();
        SessionOptions? sessionOptions = null;
        try
        {
            sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            if (options.IntraOpNumThreads is { } threads) sessionOptions.IntraOpNumThreads = threads;
            return new OnnxRuntimeEngine(new InferenceSession(model, sessionOptions), classifier.ModelSpec);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or OnnxRuntimeException)
        {
            throw new InvalidOperationException(
                $"ONNX Runtime could not score the classifier ({classifier.ModelSpec.Describe()}): {e.Message.Split('\n', 2)[0].Trim()} " +
                "The application needs ONNX Runtime's native library: reference Microsoft.ML.OnnxRuntime 1.32.0 (CPU).", e);
        }
        finally
        {
            sessionOptions?.Dispose();
        }
    }

    /// <inheritdoc />
    public void Probabilities(ReadOnlySpan<float> images, int count, Span<float> probabilities)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int size = _spec.ImageSize, classes = _spec.Classes;
        if (images.Length < count * size) throw new ArgumentException($"Expected {count} images of {size} values.", nameof(images));
        if (probabilities.Length < count * classes) throw new ArgumentException($"Expected room for {count} x {classes} scores.", nameof(probabilities));
        if (count == 0) return;
        using var input = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [count, _spec.Channels, _spec.Height, _spec.Width]);
        images[..(count * size)].CopyTo(input.GetTensorMutableDataAsSpan<float>());
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, s_inputNames, [input], s_outputNames);
        outputs[0].GetTensorDataAsSpan<float>()[..(count * classes)].CopyTo(probabilities);
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _session.Dispose();
}
