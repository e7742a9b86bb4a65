using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using PixMix.MLNet.Models;
using PixMix.MLNet.Onnx;
using PixMix.MLNet.Tests.Training;
using PixMix.MLNet.Training;
using PixMix.MLNet.Scoring;
using PixMix.MLNet.PyTorch;
using PixMix.MLNet.TorchSupport;
using static PixMix.MLNet.Onnx.Tests.OnnxTestSupport;
using static TorchSharp.torch;

namespace PixMix.MLNet.Onnx.Tests;

/// <summary>
/// Exported classifiers scored by ONNX Runtime give TorchSharp's logits (within 1e-4) and arg-max on real images, for
/// every architecture, with randomized BatchNorm statistics, trained channels-last weights and an imported PyTorch
/// WideResNet; the exported file carries its contract and a dynamic batch dimension.
/// </summary>
public class OnnxExportParityTests
{
    private readonly MLContext _context = new(seed: 1);

    public OnnxExportParityTests() => TorchTestSettings.UseOneThread();

    private static InferenceSession Session(byte[] onnx)
    {
        var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        return new InferenceSession(onnx, options);
    }

    private static byte[] Serialize(global::Onnx.ModelProto model)
    {
        using var stream = new MemoryStream();
        OnnxClassifierExport.Write(model, stream);
        return stream.ToArray();
    }

    [Theory]
    // architecture, depth, widen, network channels, network size, input size (a larger one is centre-cropped), large batch
    [InlineData(ModelArchitecture.SmallCnn, 0, 0, 1, 28, 28, 256)]
    [InlineData(ModelArchitecture.WideResNet, 10, 1, 3, 32, 36, 256)]
    [InlineData(ModelArchitecture.WideResNet, 16, 4, 3, 16, 16, 8)]
    [InlineData(ModelArchitecture.WideResNet, 40, 4, 3, 8, 8, 4)]
    [InlineData(ModelArchitecture.ResNet18, 0, 0, 3, 28, 32, 8)]
    [InlineData(ModelArchitecture.ResNet50, 0, 0, 3, 28, 28, 4)]
    public void OnnxRuntimeReproducesTorchSharpOnRealImages(ModelArchitecture architecture, int depth, int widen, int channels, int size, int inputSize, int largeBatch)
    {
        var spec = new ImageModelSpec(architecture, depth, widen, 0.3, 10, channels, size, size);
        var network = PixMix.Cli.Benchmarks.RandomizedNetworks.Create(spec, seed: 7);
        using var classifier = Classifier(network, spec);
        float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];
        var contract = new OnnxImageContract { InputSize = inputSize, Mean = mean, Std = std, NormalizationFolded = true, ClassNames = classifier.ClassNames.ToArray() };
        using var session = Session(Serialize(OnnxClassifierExport.Build(classifier.Network, spec, contract, size)));
        Assert.Equal(-1, session.InputMetadata["image"].Dimensions[0]);

        var images = FrostTiles(largeBatch, inputSize);
        foreach (int count in new[] { 1, largeBatch })
        {
            var expected = classifier.PredictLogits(TorchInput(images, count, inputSize, size, channels, mean, std), count);
            AssertParity(expected, Run(session, OnnxInput(images, count, inputSize), count, inputSize), count, spec.Classes, $"{spec.Describe()}, batch {count}");
        }
    }

    [Fact]
    public void ChannelsLastTrainedWeightsExportAsTheyCompute()
    {
        var data = TrainingTestData.WithKeyLabel(_context, TrainingTestData.View(_context, TrainingTestData.FashionMnist("train", 64), 1, 28, 28));
        var options = new ImageClassifierOptions
        {
            Architecture = ModelArchitecture.SmallCnn, Epochs = 1, BatchSize = 16, LearningRate = 0.05, Device = TrainingDevice.Cpu,
            TorchThreads = 1, DataThreads = 1, ChannelsLast = true,
        };
        using var model = new ImageClassificationTrainer(_context, options).Fit(data);
        Assert.True(model.TrainingSummary!.ChannelsLast);
        // Weights held channels-last (as during such training): the export must read them in logical order.
        MemoryFormat.Convert(model.Network, channelsLast: true);
        Assert.Contains(model.Network.parameters(), p => p.dim() == 4 && !p.is_contiguous());

        using var stream = new MemoryStream();
        _context.Model.ExportOnnx(model, stream);
        using var session = Session(stream.ToArray());
        var images = FashionRgb(256);
        var expected = model.PredictLogits(TorchInput(images, 256, 28, 28, 1, [0f, 0f, 0f], [1f, 1f, 1f]), 256);
        AssertParity(expected, Run(session, OnnxInput(images, 256, 28), 256, 28), 256, 10, "channels-last SmallCnn");
    }

    [Fact]
    public void ImportedPyTorchWideResNetExports()
    {
        var import = new PyTorchImportOptions { Depth = 10, Widen = 1, ImageChannels = 3, ImageHeight = 32, ImageWidth = 32 };
        using var model = PyTorchImport.LoadImageClassifier(_context, TrainingTestData.FixturePath("wrn10_1_checkpoint.pth.tar"), import);
        using var stream = new MemoryStream();
        _context.Model.ExportOnnx(model, stream);
        using var session = Session(stream.ToArray());
        var images = FrostTiles(256, 32);
        foreach (int count in new[] { 1, 256 })
        {
            var expected = model.PredictLogits(TorchInput(images, count, 32, 32, 3, [0f, 0f, 0f], [1f, 1f, 1f]), count);
            AssertParity(expected, Run(session, OnnxInput(images, count, 32), count, 32), count, 10, $"imported WideResNet-10-1, batch {count}");
        }
    }

    [Fact]
    public void TheContractRoundTripsThroughOnnxRuntimesMetadata()
    {
        var spec = new ImageModelSpec(ModelArchitecture.SmallCnn, 0, 0, 0, 3, 3, 16, 16);
        using var classifier = Classifier(PixMix.Cli.Benchmarks.RandomizedNetworks.Create(spec, seed: 2), spec);
        string path = Path.Combine(Path.GetTempPath(), $"pixmix-onnx-{Guid.NewGuid():N}.onnx");
        try
        {
            _context.Model.ExportOnnx(classifier, path);
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*.tmp*"));
            using var session = new InferenceSession(path);
            var metadata = session.ModelMetadata.CustomMetadataMap;
            var contract = OnnxImageContract.FromMetadata(metadata, path);
            Assert.NotNull(contract);
            Assert.Equal(OnnxInputLayout.Nchw, contract.Layout);
            Assert.Equal(16, contract.InputSize);
            Assert.True(contract.NormalizationFolded);
            Assert.Equal(["c0", "c1", "c2"], contract.ClassNames);
            Assert.Equal([0f, 0f, 0f], contract.Mean);
            Assert.Equal([1f, 1f, 1f], contract.Std);
            Assert.Equal("SmallCnn", contract.Architecture);
            Assert.Equal(["image"], session.InputMetadata.Keys);
            Assert.Equal(new[] { -1, 3, 16, 16 }, session.InputMetadata["image"].Dimensions);
            Assert.Equal(["logits", "probabilities", "predicted_label"], session.OutputMetadata.Keys);
            Assert.Equal(typeof(long), session.OutputMetadata["predicted_label"].ElementType);
            var model = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            Assert.Equal(17, model.OpsetImport.Single(o => o.Domain == "").Version);
            Assert.Contains(model.Graph.Node, n => n.OpType == "Softmax");
            Assert.Contains(model.Graph.Node, n => n.OpType == "ArgMax");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AModuleWithoutTranslationIsNamed()
    {
        var spec = new ImageModelSpec(ModelArchitecture.SmallCnn, 0, 0, 0, 4, 3, 8, 8);
        using var network = nn.Sequential(nn.Conv2d(3, 4, 3, padding: 1), nn.BatchNorm2d(4), nn.Tanh());
        var contract = new OnnxImageContract { InputSize = 8, NormalizationFolded = true };
        var error = Assert.Throws<NotSupportedException>(() => OnnxClassifierExport.Build(network, spec, contract, 8));
        Assert.Contains("module '2'", error.Message);
        Assert.Contains("Tanh", error.Message);
    }

    [Fact]
    public void AModelWithoutClassifierIsRefusedAndNothingIsWritten()
    {
        var notAClassifier = _context.Transforms.CopyColumns("B", "A").Fit(_context.Data.LoadFromEnumerable(new[] { new { A = 1f } }));
        string path = Path.Combine(Path.GetTempPath(), $"pixmix-onnx-{Guid.NewGuid():N}.onnx");
        var error = Assert.Throws<ArgumentException>(() => _context.Model.ExportOnnx(notAClassifier, path));
        Assert.Contains("ImageClassificationTransformer", error.Message);
        Assert.False(File.Exists(path));
    }
}
