using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using PixMix.Imaging;
using PixMix.Imaging.Mixing;
using PixMix.MLNet.Data;
using PixMix.MLNet.Models;
using PixMix.MLNet.Onnx;
using PixMix.MLNet.Training;
using PixMix.MLNet.Scoring;
using PixMix.MLNet.TorchSupport;
using PixMix.MLNet.Transforms;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PixMix.Cli.Benchmarks;

/// <summary>
/// Scores the same networks on the same images through TorchSharp and through ONNX Runtime on the CPU: images per
/// second of one batch (the median of timed repetitions after a warm-up, the engines alternating), and whether the two
/// engines predict the same classes.
/// </summary>
/// <remarks>
/// TorchSharp is timed on the call evaluation makes for each batch (the classifier's network runner: copy in, forward
/// in evaluation mode without gradients, softmax, copy out) on the PixMix transform's evaluation features. ONNX Runtime
/// is timed on <c>InferenceSession.Run</c> of the graph <c>ExportOnnx</c> writes for the same chain, on the same images
/// as byte / 255, with its outputs written into preallocated buffers. Preparing the inputs is outside both timings.
/// The networks have deterministic weights and randomized BatchNorm statistics and affine parameters, as a trained
/// network has and a freshly initialised one does not.
/// </remarks>
public static class ScoringBenchmark
{
    /// <summary>The networks measured by default: SmallCnn and WideResNet-16-4.</summary>
    public static IReadOnlyList<(ModelArchitecture Architecture, int Depth, int Widen)> DefaultModels { get; } =
        [(ModelArchitecture.SmallCnn, 0, 0), (ModelArchitecture.WideResNet, 16, 4)];

    private const int ImageSize = 32;

    /// <summary>Runs the benchmark.</summary>
    /// <param name="models">The networks (architecture, and depth and widen for WideResNet), 32 x 32 RGB input, 10 classes.</param>
    /// <param name="batchSize">Images per batch: the first this many Fashion-MNIST test images as 32 x 32 RGB.</param>
    /// <param name="warmup">Untimed batches per engine first.</param>
    /// <param name="repetitions">Timed batches per engine.</param>
    /// <param name="threads">Intra-op threads of both engines; 0 takes TorchSharp's default.</param>
    /// <param name="seed">Seed of the networks' weights and BatchNorm statistics.</param>
    /// <param name="dataFolder">The folder holding Fashion-MNIST, or null for the shipped copy.</param>
    public static ScoringBenchmarkResult Run(IReadOnlyList<(ModelArchitecture Architecture, int Depth, int Widen)> models, int batchSize, int warmup,
        int repetitions, int threads = 0, int seed = 1, string? dataFolder = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentOutOfRangeException.ThrowIfLessThan(models.Count, 1, nameof(models));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);

        var ml = new MLContext(seed: 1);
        var images = new ImageSourceSlice(FashionMnist.OpenAs32x32Rgb(train: false, dataFolder), 0, batchSize);
        var view = new ImageSourceDataView(images, classCount: FashionMnist.ClassNames.Count);
        // The evaluation path: the PixMix transform outside a training pass gives the normalized planar features.
        var pixmix = ml.Transforms.PixMix(new PixMixOptions
        {
            InputColumnName = "Image", OutputColumnName = "Features", Recipe = PixMixRecipe.Cifar, MixingSet = MixingSet.Fractals(1, 0),
        }).Fit(view);
        float[] features = ReadFeatures(pixmix.Transform(view), "Features", batchSize, 3 * ImageSize * ImageSize);
        float[] onnxInput = OnnxInput(images, batchSize);

        int previousThreads = get_num_threads();
        int usedThreads = threads > 0 ? threads : previousThreads;
        var results = new List<ScoringModelResult>();
        try
        {
            set_num_threads(usedThreads);
            foreach (var (architecture, depth, widen) in models)
            {
                var spec = new ImageModelSpec(architecture, depth, widen, 0.3, FashionMnist.ClassNames.Count, 3, ImageSize, ImageSize);
                results.Add(Measure(ml, spec, pixmix, features, onnxInput, batchSize, warmup, repetitions, usedThreads, seed));
            }
        }
        finally
        {
            set_num_threads(previousThreads);
        }
        return new ScoringBenchmarkResult("score", CudaDriver.CpuName(), usedThreads, batchSize, ImageSize, warmup, repetitions, seed,
            $"Fashion-MNIST test images 0..{batchSize - 1} as 32x32 RGB (2-pixel border)",
            typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3) ?? "unknown",
            OrtEnv.Instance().GetVersionString(),
            $"CPU execution provider, IntraOpNumThreads {usedThreads}, InterOpNumThreads 1, sequential, graph optimization level all",
            results);
    }

    private static ScoringModelResult Measure(MLContext ml, ImageModelSpec spec, PixMixTransformer pixmix, float[] features, float[] onnxInput,
        int batchSize, int warmup, int repetitions, int threads, int seed)
    {
        var runner = new NetworkRunner(RandomizedNetworks.Create(spec, seed), spec, CPU);
        using var classifier = new ImageClassificationTransformer(runner, "Features",
            ClassLabels.Create(spec.Classes, "Text", [.. FashionMnist.ClassNames]), batchSize, summary: null);
        long parameters = runner.Network.parameters().Sum(p => p.numel());

        byte[] onnx;
        using (var stream = new MemoryStream())
        {
            ml.Model.ExportOnnx(new TransformerChain<ITransformer>(pixmix, classifier), stream);
            onnx = stream.ToArray();
        }
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        using var session = new InferenceSession(onnx, options);
        using var runOptions = new RunOptions();
        int classes = spec.Classes;
        float[] ortLogits = new float[batchSize * classes], ortProbabilities = new float[batchSize * classes];
        long[] ortLabels = new long[batchSize];
        using var input = OrtValue.CreateTensorValueFromMemory(onnxInput, [batchSize, 3, ImageSize, ImageSize]);
        using var logitsValue = OrtValue.CreateTensorValueFromMemory(ortLogits, [batchSize, classes]);
        using var probabilitiesValue = OrtValue.CreateTensorValueFromMemory(ortProbabilities, [batchSize, classes]);
        using var labelsValue = OrtValue.CreateTensorValueFromMemory(ortLabels, [batchSize]);
        string[] inputNames = [OnnxImageContract.InputName];
        string[] outputNames = [OnnxImageContract.LogitsName, OnnxImageContract.ProbabilitiesName, OnnxImageContract.PredictedLabelName];
        OrtValue[] inputs = [input], outputs = [logitsValue, probabilitiesValue, labelsValue];
        void RunOnnx() => session.Run(runOptions, inputNames, inputs, outputNames, outputs);

        float[] probabilities = new float[batchSize * classes];
        void RunTorch() => runner.Probabilities(features, batchSize, probabilities);

        // Agreement on the batch: TorchSharp's logits and arg-max against ONNX Runtime's logits and predicted_label.
        float[] torchLogits = new float[batchSize * classes];
        runner.Logits(features, batchSize, torchLogits);
        RunOnnx();
        double maxDifference = 0;
        int agreeing = 0;
        for (int i = 0; i < batchSize; i++)
        {
            var row = torchLogits.AsSpan(i * classes, classes);
            for (int k = 0; k < classes; k++) maxDifference = Math.Max(maxDifference, Math.Abs(row[k] - ortLogits[i * classes + k]));
            if (ClassProbabilities.PredictedClass(row) == ortLabels[i]) agreeing++;
        }

        for (int i = 0; i < warmup; i++) { RunTorch(); RunOnnx(); }
        var torchSeconds = new List<double>(repetitions);
        var onnxSeconds = new List<double>(repetitions);
        for (int i = 0; i < repetitions; i++)
        {
            torchSeconds.Add(Time(RunTorch));
            onnxSeconds.Add(Time(RunOnnx));
        }
        var torch = EngineTiming.From(batchSize, torchSeconds);
        var onnxRuntime = EngineTiming.From(batchSize, onnxSeconds);
        return new ScoringModelResult(Name(spec), parameters, torch, onnxRuntime, Math.Round(onnxRuntime.ImagesPerSecond / torch.ImagesPerSecond, 3),
            batchSize, agreeing, Math.Round((double)agreeing / batchSize, 4), maxDifference);
    }

    private static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static string Name(ImageModelSpec spec) =>
        spec.Architecture == ModelArchitecture.WideResNet ? $"WideResNet-{spec.Depth}-{spec.Widen}" : spec.Architecture.ToString();

    private static float[] ReadFeatures(IDataView view, string column, int count, int size)
    {
        var result = new float[count * size];
        var features = view.Schema[column];
        using var cursor = view.GetRowCursor([features]);
        var getter = cursor.GetGetter<VBuffer<float>>(features);
        var row = default(VBuffer<float>);
        int n = 0;
        while (cursor.MoveNext())
        {
            if (n == count) throw new InvalidOperationException($"The data gave more than {count} rows.");
            getter(ref row);
            FeatureColumn.CopyTo(row, result.AsSpan(n * size, size), column);
            n++;
        }
        if (n != count) throw new InvalidDataException($"Fashion-MNIST gave {n} test images; the benchmark scores {count}.");
        return result;
    }

    /// <summary>The exported graph's input: the images as byte / 255, NCHW.</summary>
    private static float[] OnnxInput(IImageSource images, int count)
    {
        int pixels = images.Width * images.Height;
        var result = new float[count * 3 * pixels];
        var rgb = new byte[pixels * 3];
        for (int i = 0; i < count; i++)
        {
            images.ReadImage(i, rgb);
            PixelLayout.ToPlanar(rgb, result.AsSpan(i * 3 * pixels, 3 * pixels), 3, [], []);
        }
        return result;
    }
}
