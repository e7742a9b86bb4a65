using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.Imaging.Corruptions;
using PixMix.Imaging.Mixing;
using PixMix.MLNet.Data;
using PixMix.MLNet.Evaluation;
using PixMix.MLNet.Models;
using PixMix.MLNet.Training;
using PixMix.MLNet.Scoring;
using PixMix.MLNet.Transforms;
using PixMix.Imaging.Sources;

namespace PixMix.MLNet.Onnx.Tests;

/// <summary>A chain trained here: Fashion-MNIST as 32x32 RGB, the CIFAR recipe without PixMix, a SmallCnn trained one epoch.</summary>
public sealed class EngineModelFixture : IDisposable
{
    public MLContext Context { get; } = new(seed: 1);
    public IImageSource TestImages { get; } = ImageSourceSlice.Take(FashionMnist.OpenAs32x32Rgb(train: false), 300);
    public ITransformer Model { get; }

    public EngineModelFixture()
    {
        var train = new ImageSourceDataView(ImageSourceSlice.Take(FashionMnist.OpenAs32x32Rgb(train: true), 768));
        var pixmix = Context.Transforms.PixMix(new PixMixOptions { InputColumnName = "Image", Recipe = PixMixRecipe.Cifar.WithoutPixMix() }).Fit(train);
        var classifier = Context.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
        {
            Architecture = ModelArchitecture.SmallCnn, Epochs = 1, BatchSize = 64, LearningRate = 0.05, Device = TrainingDevice.Cpu,
            TorchThreads = 1, DataThreads = 1, EvaluationBatchSize = 64,
        }).Fit(pixmix.Transform(train));
        Model = new TransformerChain<ITransformer>(pixmix, classifier);
    }

    public IDataView Test => new ImageSourceDataView(TestImages);

    public void Dispose()
    {
        foreach (var part in ChainSteps.Flatten(Model)) (part as IDisposable)?.Dispose();
    }
}

/// <summary>
/// The ONNX Runtime engine scores a trained chain as TorchSharp does: the same predictions, probabilities within 1e-5,
/// and the safety report's numbers equal (errors) or within 1e-4 (calibration, AUROC).
/// </summary>
public class OnnxRuntimeEngineTests(EngineModelFixture fx) : IClassFixture<EngineModelFixture>
{
    private static (uint[] Predicted, float[][] Scores) Read(IDataView scored)
    {
        var predicted = new List<uint>();
        var scores = new List<float[]>();
        using var cursor = scored.GetRowCursor([scored.Schema["PredictedLabel"], scored.Schema["Score"]]);
        var getPredicted = cursor.GetGetter<uint>(scored.Schema["PredictedLabel"]);
        var getScore = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
        uint p = 0;
        VBuffer<float> s = default;
        while (cursor.MoveNext())
        {
            getPredicted(ref p);
            getScore(ref s);
            predicted.Add(p);
            scores.Add(s.DenseValues().ToArray());
        }
        return ([.. predicted], [.. scores]);
    }

    [Fact]
    public void BatchedScoresEqualTorchSharpsRowForRow()
    {
        var onnx = fx.Context.Model.WithOnnxRuntimeEngine(fx.Model);
        try
        {
            var classifier = ChainSteps.Flatten(onnx).OfType<ImageClassificationTransformer>().Single();
            Assert.Equal("onnxruntime", classifier.Engine.Name);
            Assert.Equal("torchsharp", ChainSteps.Flatten(fx.Model).OfType<ImageClassificationTransformer>().Single().Engine.Name);

            var (torchPredicted, torchScores) = Read(fx.Model.Transform(fx.Test));
            var (onnxPredicted, onnxScores) = Read(onnx.Transform(fx.Test));
            Assert.Equal(300, onnxPredicted.Length);
            Assert.Equal(torchPredicted, onnxPredicted);
            for (int i = 0; i < torchScores.Length; i++)
                for (int c = 0; c < torchScores[i].Length; c++)
                    Assert.True(Math.Abs(torchScores[i][c] - onnxScores[i][c]) <= 1e-5, $"image {i} class {c}: TorchSharp {torchScores[i][c]}, ONNX Runtime {onnxScores[i][c]}");
            // Not a constant classifier: the comparison covers several classes.
            Assert.True(torchPredicted.Distinct().Count() >= 5);
        }
        finally
        {
            foreach (var part in ChainSteps.Flatten(onnx)) if (part is ImageClassificationTransformer c) c.Dispose();
        }
    }

    [Fact]
    public void SafetyReportEqualsTorchSharpsWithinTheStatedTolerance()
    {
        var options = () => new SafetyEvaluationOptions
        {
            GeneratedCorruptions = [CorruptionKind.GaussianNoise, CorruptionKind.Contrast],
            GeneratedSeverities = [1, 5],
            SyntheticOutOfDistribution = [SyntheticOodKind.Gaussian, SyntheticOodKind.Blobs],
            Seed = 3,
        };
        var torch = fx.Context.MulticlassClassification.EvaluateSafety(fx.Model, fx.Test, options());
        var onnx = fx.Context.Model.WithOnnxRuntimeEngine(fx.Model);
        SafetyReport report;
        try { report = fx.Context.MulticlassClassification.EvaluateSafety(onnx, fx.Test, options()); }
        finally { foreach (var part in ChainSteps.Flatten(onnx)) if (part is ImageClassificationTransformer c) c.Dispose(); }

        Assert.Equal(torch.Clean.Examples, report.Clean.Examples);
        Assert.Equal(torch.Clean.Error, report.Clean.Error);
        Assert.Equal(torch.Clean.RmsCalibrationError, report.Clean.RmsCalibrationError, 1e-4);
        var torchCells = torch.Corruptions!.Results.SelectMany(c => c.Severities.Select(s => (c.Corruption, s.Severity, s.Error))).ToList();
        var onnxCells = report.Corruptions!.Results.SelectMany(c => c.Severities.Select(s => (c.Corruption, s.Severity, s.Error))).ToList();
        Assert.Equal(4, onnxCells.Count);
        Assert.Equal(torchCells, onnxCells);
        Assert.Equal(torch.Corruptions.AverageRmsCalibrationError, report.Corruptions.AverageRmsCalibrationError, 1e-4);
        Assert.Equal(torch.AnomalyDetection!.MeanAuroc, report.AnomalyDetection!.MeanAuroc, 1e-4);
        Assert.Equal(torch.AnomalyDetection.MeanFprAtRecall, report.AnomalyDetection.MeanFprAtRecall, 1e-4);
        // The TorchSharp network stays for gradients: nothing is reported as not evaluated.
        Assert.Null(report.NotEvaluated);
    }

    [Fact]
    public void ModelWithoutImageClassifierIsRefusedNamingIt()
    {
        var chain = new TransformerChain<ITransformer>(ChainSteps.Flatten(fx.Model).OfType<PixMixTransformer>().Single());
        var e = Assert.Throws<ArgumentException>(() => fx.Context.Model.WithOnnxRuntimeEngine(chain));
        Assert.Contains("ImageClassificationTransformer", e.Message);
    }

    [Fact]
    public void ThreadCountOutOfRangeIsRefusedNamingTheOption()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => fx.Context.Model.WithOnnxRuntimeEngine(fx.Model, new OnnxRuntimeEngineOptions { IntraOpNumThreads = 0 }));
        Assert.Contains("IntraOpNumThreads", e.Message);
    }
}
