using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.Imaging;
using PixMix.MLNet.Models;
using PixMix.MLNet.Onnx;
using PixMix.MLNet.Tests.Training;
using PixMix.MLNet.Training;
using PixMix.MLNet.Scoring;
using Xunit.Abstractions;
using static PixMix.MLNet.Onnx.Tests.OnnxTestSupport;

namespace PixMix.MLNet.Onnx.Tests;

/// <summary>
/// An exported classifier scores image files through ML.NET's own transformers, which ML.NET's Save and Load persist
/// without this library's transformers or the .onnx file, and predicts what TorchSharp predicts.
/// </summary>
public class OnnxMLNetScoringTests(ITestOutputHelper output) : IDisposable
{
    private readonly MLContext _context = new(seed: 1);
    private readonly string _folder = Directory.CreateTempSubdirectory("pixmix-onnx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }

    public sealed class Prediction
    {
        public string[] PredictedLabel { get; set; } = [];
        public float[] Score { get; set; } = [];
    }

    private ImageClassificationTransformer TrainFashionClassifier()
    {
        var data = TrainingTestData.WithKeyLabel(_context, TrainingTestData.View(_context, TrainingTestData.FashionMnist("train", 512), 1, 28, 28));
        var options = new ImageClassifierOptions
        {
            Architecture = ModelArchitecture.SmallCnn, Epochs = 2, BatchSize = 32, LearningRate = 0.05, Device = TrainingDevice.Cpu,
            TorchThreads = 1, DataThreads = 1,
        };
        return new ImageClassificationTrainer(_context, options).Fit(data);
    }

    // Fashion-MNIST test images as PNG files, each enlarged by pixel replication to size x size.
    private (string[] Paths, byte[] Rgb) WriteFashionFiles(int count, int size)
    {
        var rgb = FashionRgb(count);
        var paths = new string[count];
        for (int i = 0; i < count; i++)
        {
            var image = new ImageU8(size, size, 3);
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                    for (int c = 0; c < 3; c++)
                        image.Span[(y * size + x) * 3 + c] = rgb[(i * 784 + y * 28 / size * 28 + x * 28 / size) * 3 + c];
            paths[i] = Path.Combine(_folder, $"fashion{i:D3}.png");
            ImageCodec.WritePng(image, paths[i]);
        }
        return (paths, rgb);
    }

    [Fact]
    public void SavedAndReloadedChainPredictsWhatTorchSharpPredictsOnIdenticalPixels()
    {
        using var classifier = TrainFashionClassifier();
        string onnx = Path.Combine(_folder, "classifier.onnx"), zip = Path.Combine(_folder, "scoring.zip");
        _context.Model.ExportOnnx(classifier, onnx);
        const int count = 64;
        var (paths, rgb) = WriteFashionFiles(count, 28);
        var data = _context.Data.LoadFromEnumerable(paths.Select(p => new PathRow { ImagePath = p }));

        var chain = _context.Transforms.OnnxImageScoring(onnx).Fit(data);
        Assert.All(chain, t => Assert.StartsWith("Microsoft.ML", t.GetType().Assembly.GetName().Name));
        _context.Model.Save(chain, data.Schema, zip);
        File.Delete(onnx);

        var loaded = new MLContext(seed: 2).Model.Load(zip, out var schema);
        Assert.NotNull(schema.GetColumnOrNull("ImagePath"));
        var engine = _context.Model.CreatePredictionEngine<PathRow, Prediction>(loaded);
        var probabilities = new float[count * 10];
        var logits = classifier.PredictLogits(TorchInput(rgb, count, 28, 28, 1, [0f, 0f, 0f], [1f, 1f, 1f]), count);
        for (int i = 0; i < count; i++)
        {
            var prediction = engine.Predict(new PathRow { ImagePath = paths[i] });
            var row = logits.AsSpan(i * 10, 10).ToArray();
            string expected = classifier.ClassNames[Array.IndexOf(row, row.Max())];
            Assert.Equal([expected], prediction.PredictedLabel);
            Assert.Equal(10, prediction.Score.Length);
            double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
            for (int k = 0; k < 10; k++)
                Assert.True(Math.Abs(Math.Exp(row[k] - max) / sum - prediction.Score[k]) < 1e-4, $"image {i}, class {k}");
        }
    }

    [Fact]
    public void AgreementWithTorchSharpOnResizedFilesIsMeasured()
    {
        using var classifier = TrainFashionClassifier();
        string onnx = Path.Combine(_folder, "classifier.onnx");
        _context.Model.ExportOnnx(classifier, onnx);
        const int count = 300, size = 42;
        var (paths, _) = WriteFashionFiles(count, size);
        var data = _context.Data.LoadFromEnumerable(paths.Select(p => new PathRow { ImagePath = p }));
        var scored = _context.Transforms.OnnxImageScoring(onnx).Fit(data).Transform(data);
        var predicted = scored.GetColumn<VBuffer<ReadOnlyMemory<char>>>("PredictedLabel").Select(v => v.GetValues()[0].ToString()).ToArray();

        // The reference: the files decoded and resized as the PixMix evaluation path does (Pillow's antialiased resize).
        var resized = new byte[count * 28 * 28 * 3];
        for (int i = 0; i < count; i++)
        {
            var picture = ImageCodec.Read(paths[i], 3);
            var small = new ImageU8(28, 28, 3);
            PixMix.Imaging.Resampler.Resize(picture, small);
            small.Span.CopyTo(resized.AsSpan(i * 28 * 28 * 3));
        }
        var logits = classifier.PredictLogits(TorchInput(resized, count, 28, 28, 1, [0f, 0f, 0f], [1f, 1f, 1f]), count);
        int agree = 0;
        for (int i = 0; i < count; i++)
        {
            var row = logits.AsSpan(i * 10, 10).ToArray();
            if (classifier.ClassNames[Array.IndexOf(row, row.Max())] == predicted[i]) agree++;
        }
        double rate = agree / (double)count;
        output.WriteLine($"ML.NET ResizeImages vs Pillow-exact resize, {size}x{size} -> 28x28, {count} Fashion-MNIST test images: {agree}/{count} = {rate:P1} identical predictions");
        Assert.True(rate >= 0.9, $"agreement {rate:P1}");
    }

    [Fact]
    public void AMissingCudaProviderGivesAClearError()
    {
        var spec = new ImageModelSpec(ModelArchitecture.SmallCnn, 0, 0, 0, 3, 3, 8, 8);
        using var classifier = Classifier(PixMix.Cli.Benchmarks.RandomizedNetworks.Create(spec, seed: 3), spec);
        string onnx = Path.Combine(_folder, "classifier.onnx");
        _context.Model.ExportOnnx(classifier, onnx);
        var error = Assert.Throws<InvalidOperationException>(() => _context.Transforms.OnnxImageScoring(onnx, new OnnxImageScoringOptions { GpuDeviceId = 0 }));
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", error.Message);
        Assert.Contains(onnx, error.Message);
    }

    [Fact]
    public void AFileWithoutTheContractIsRefused()
    {
        string path = Path.Combine(_folder, "plain.onnx");
        File.WriteAllBytes(path, [0x08, 0x08]);   // a ModelProto with only ir_version
        var error = Assert.Throws<InvalidDataException>(() => _context.Transforms.OnnxImageScoring(path));
        Assert.Contains("pixmix.format", error.Message);
        Assert.Throws<FileNotFoundException>(() => _context.Transforms.OnnxImageScoring(Path.Combine(_folder, "missing.onnx")));
    }
}
