using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.MLNet.Data;
using PixMix.MLNet.Evaluation;
using PixMix.MLNet.Onnx;
using PixMix.Imaging.Sources;

namespace PixMix.MLNet.Onnx.Tests;

/// <summary>
/// The ONNX image classifier chain on the reference classifiers that PyTorch exported: ONNX Runtime reproduces the
/// script's logits, the contract comes from the file or from options, and malformed files and options are refused.
/// </summary>
public class OnnxImageClassifierTests
{
    private readonly MLContext _context = new(seed: 1);

    private static OnnxImageClassifierOptions NhwcOptions() => new()
    {
        Layout = OnnxInputLayout.Nhwc,
        Mean = OnnxFixtures.Reference.Mean,
        Std = OnnxFixtures.Reference.Std,
        ClassNames = OnnxFixtures.Reference.ClassNames,
    };

    private float[][] Logits(string model, OnnxImageClassifierOptions? options, string outputTensor)
    {
        var expected = OnnxFixtures.Logits();
        var view = new ImageSourceDataView(OnnxFixtures.TestImages(expected.Length));
        var chain = _context.Transforms.OnnxImageClassifier(model, options).Fit(view);
        try
        {
            var scored = chain.Transform(view);
            return scored.GetColumn<VBuffer<float>>(outputTensor).Select(v => v.DenseValues().ToArray()).ToArray();
        }
        finally { Dispose(chain); }
    }

    private static void Dispose(ITransformer chain)
    {
        foreach (var part in ChainSteps.Flatten(chain)) (part as IDisposable)?.Dispose();
    }

    private static void AssertClose(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            for (int c = 0; c < expected[i].Length; c++)
                Assert.True(Math.Abs(expected[i][c] - actual[i][c]) <= 1e-4, $"image {i} class {c}: PyTorch {expected[i][c]}, ONNX Runtime {actual[i][c]}");
        }
    }

    [Fact]
    public void NchwWithTheFilesContractReproducesPyTorchsLogits()
        => AssertClose(OnnxFixtures.Logits(), Logits(OnnxFixtures.Nchw, options: null, "logits"));

    [Fact]
    public void NhwcDescribedByOptionsReproducesPyTorchsLogits()
        => AssertClose(OnnxFixtures.Logits(), Logits(OnnxFixtures.Nhwc, NhwcOptions(), "scores"));

    [Fact]
    public void DynamicSizeRunsAtTheOptionsSize()
    {
        var options = new OnnxImageClassifierOptions { Layout = OnnxInputLayout.Nchw, InputSize = 32, Mean = OnnxFixtures.Reference.Mean, Std = OnnxFixtures.Reference.Std };
        AssertClose(OnnxFixtures.Logits(), Logits(OnnxFixtures.DynamicSize, options, "logits"));
    }

    [Fact]
    public void TheFilesContractIsReadAndTheGraphChecked()
    {
        var info = _context.Transforms.OnnxImageClassifier(OnnxFixtures.Nchw).Info;
        Assert.True(info.HasFileContract);
        Assert.Equal("image", info.InputTensorName);
        Assert.Equal("logits", info.OutputTensorName);
        Assert.Equal(10, info.ClassCount);
        Assert.Equal(OnnxInputLayout.Nchw, info.Contract.Layout);
        Assert.Equal(32, info.Contract.InputSize);
        Assert.False(info.Contract.NormalizationFolded);
        Assert.Equal(OnnxFixtures.Reference.Mean, info.Contract.Mean);
        Assert.Equal(OnnxFixtures.Reference.ClassNames, info.Contract.ClassNames);
        Assert.Equal("file metadata", info.Sources["classNames"]);
        Assert.Equal("graph", info.Sources["inputSize"]);
    }

    [Fact]
    public void ScoreAndPredictedLabelCarryTheClassNames()
    {
        var view = new ImageSourceDataView(OnnxFixtures.TestImages(4));
        var chain = _context.Transforms.OnnxImageClassifier(OnnxFixtures.Nchw).Fit(view);
        try
        {
            var scored = chain.Transform(view);
            var predicted = scored.Schema["PredictedLabel"];
            Assert.Equal(10UL, ((KeyDataViewType)predicted.Type).Count);
            VBuffer<ReadOnlyMemory<char>> keyValues = default;
            predicted.GetKeyValues(ref keyValues);
            Assert.Equal(OnnxFixtures.Reference.ClassNames, keyValues.DenseValues().Select(v => v.ToString()));
            var logits = OnnxFixtures.Logits();
            var scores = new List<float[]>();
            var labels = new List<uint>();
            using (var cursor = scored.GetRowCursor([scored.Schema["Score"], predicted]))
            {
                var scoreGetter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
                var labelGetter = cursor.GetGetter<uint>(predicted);
                VBuffer<float> score = default;
                uint label = 0;
                while (cursor.MoveNext())
                {
                    scoreGetter(ref score);
                    labelGetter(ref label);
                    scores.Add(score.DenseValues().ToArray());
                    labels.Add(label);
                }
            }
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(1.0, scores[i].Sum(), 4);
                int best = Array.IndexOf(logits[i], logits[i].Max());
                Assert.Equal((uint)best + 1, labels[i]);
                Assert.Equal(scores[i].Max(), scores[i][best]);
            }
        }
        finally { Dispose(chain); }
    }

    [Fact]
    public void NhwcAndNchwGiveTheSameSafetyReport()
    {
        var view = _context.Transforms.Conversion.MapValueToKey("Label").Fit(new ImageSourceDataView(OnnxFixtures.TestImages(200))).Transform(new ImageSourceDataView(OnnxFixtures.TestImages(200)));
        var options = new SafetyEvaluationOptions
        {
            GeneratedCorruptions = [PixMix.Imaging.Corruptions.CorruptionKind.GaussianNoise],
            GeneratedSeverities = [3],
            SyntheticOutOfDistribution = [SyntheticOodKind.Blobs],
            SyntheticOutOfDistributionCount = 50,
        };
        SafetyReport Evaluate(string model, OnnxImageClassifierOptions? o)
        {
            var chain = _context.Transforms.OnnxImageClassifier(model, o).Fit(view);
            try { return _context.MulticlassClassification.EvaluateSafety(chain, view, options); }
            finally { Dispose(chain); }
        }
        var nchw = Evaluate(OnnxFixtures.Nchw, null);
        var nhwc = Evaluate(OnnxFixtures.Nhwc, NhwcOptions());
        // MapValueToKey numbers the classes in order of appearance: the model's names are matched to them by name.
        Assert.Equal(ClassMatchingKind.RemappedByName, nchw.Metadata.ClassMatching);
        Assert.Equal(ClassMatchingKind.RemappedByName, nhwc.Metadata.ClassMatching);
        Assert.Equal(nchw.Clean.Error, nhwc.Clean.Error);
        Assert.Equal(nchw.Clean.RmsCalibrationError, nhwc.Clean.RmsCalibrationError, 6);
        Assert.Equal(nchw.Corruptions!.AverageError, nhwc.Corruptions!.AverageError);
        Assert.Equal(nchw.AnomalyDetection!.MeanAuroc, nhwc.AnomalyDetection!.MeanAuroc, 6);
        var pgd = Assert.Single(nchw.NotEvaluated!);
        Assert.Equal("adversarial", pgd.Measure);
        Assert.Contains("gradient", pgd.Reason);
        Assert.Null(nchw.Adversarial);
        Assert.Contains("## Not evaluated", SafetyReportMarkdown.ToMarkdown(nchw));
        Assert.Contains("\"notEvaluated\"", SafetyReportJson.Serialize(nchw));
    }

    [Theory]
    [InlineData(nameof(OnnxImageClassifierOptions.Layout))]
    [InlineData(nameof(OnnxImageClassifierOptions.Mean))]
    public void AFileWithoutTheContractNeedsItsSettings(string missing)
    {
        var options = NhwcOptions();
        if (missing == nameof(OnnxImageClassifierOptions.Layout)) options.Layout = null;
        else { options.Mean = null; options.Std = null; }
        var e = Assert.Throws<OnnxSettingRequiredException>(() => _context.Transforms.OnnxImageClassifier(OnnxFixtures.Nhwc, options));
        Assert.Equal(missing, e.Setting);
        Assert.Contains(OnnxFixtures.Nhwc, e.Message);
        if (missing == nameof(OnnxImageClassifierOptions.Layout)) Assert.Contains("reads as NHWC", e.Message);
    }

    [Fact]
    public void ADynamicSizeNeedsTheSize()
    {
        var options = new OnnxImageClassifierOptions { Layout = OnnxInputLayout.Nchw, Mean = OnnxFixtures.Reference.Mean, Std = OnnxFixtures.Reference.Std };
        var e = Assert.Throws<OnnxSettingRequiredException>(() => _context.Transforms.OnnxImageClassifier(OnnxFixtures.DynamicSize, options));
        Assert.Equal(nameof(OnnxImageClassifierOptions.InputSize), e.Setting);
    }

    [Fact]
    public void AWrongLayoutIsRefusedNamingTheFileAndTheTensor()
    {
        var options = NhwcOptions();
        options.Layout = OnnxInputLayout.Nchw;
        var e = Assert.Throws<InvalidDataException>(() => _context.Transforms.OnnxImageClassifier(OnnxFixtures.Nhwc, options));
        Assert.Contains(OnnxFixtures.Nhwc, e.Message);
        Assert.Contains("input 'pixels'", e.Message);
        Assert.Contains("reads as NHWC", e.Message);
    }

    [Theory]
    [InlineData("refused-grey-input.onnx", "input 'image'")]
    [InlineData("refused-feature-output.onnx", "output 'features'")]
    public void GraphsThatAreNotImageClassifiersAreRefused(string file, string tensor)
    {
        var path = OnnxFixtures.Path(file);
        var options = NhwcOptions();
        options.Layout = OnnxInputLayout.Nchw;
        var e = Assert.Throws<InvalidDataException>(() => _context.Transforms.OnnxImageClassifier(path, options));
        Assert.Contains(path, e.Message);
        Assert.Contains(tensor, e.Message);
    }

    [Fact]
    public void AFileThatIsNotOnnxIsRefusedNamingIt()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"pixmix-not-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, [.. File.ReadAllBytes(OnnxFixtures.Nchw).Take(1000)]);
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => _context.Transforms.OnnxImageClassifier(path));
            Assert.Contains(path, e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void OptionsThatContradictTheGraphAreRefused()
    {
        var names = NhwcOptions();
        names.ClassNames = OnnxFixtures.Reference.ClassNames[..9];
        var e = Assert.Throws<ArgumentException>(() => _context.Transforms.OnnxImageClassifier(OnnxFixtures.Nhwc, names));
        Assert.Contains("9 class names", e.Message);
        Assert.Contains("output 'scores'", e.Message);

        var size = NhwcOptions();
        size.InputSize = 28;
        e = Assert.Throws<ArgumentException>(() => _context.Transforms.OnnxImageClassifier(OnnxFixtures.Nhwc, size));
        Assert.Contains("InputSize is 28", e.Message);

        var std = NhwcOptions();
        std.Std = [0.3f, 0f, 0.3f];
        e = Assert.Throws<ArgumentException>(() => _context.Transforms.OnnxImageClassifier(OnnxFixtures.Nhwc, std));
        Assert.Contains("Std", e.Message);
    }

    [Fact]
    public void ImagesOfAnotherSizeAreRefusedNamingTheColumn()
    {
        var grey = new ImageSourceDataView(ImageSourceSlice.Take(FashionMnist.Open(train: false), 4));
        var e = Assert.Throws<ArgumentException>(() => _context.Transforms.OnnxImageClassifier(OnnxFixtures.Nchw).Fit(grey));
        Assert.Contains("Column 'Image'", e.Message);
        Assert.Contains("32x32", e.Message);
    }
}
