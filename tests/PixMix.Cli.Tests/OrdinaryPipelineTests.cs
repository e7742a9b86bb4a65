using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.Imaging;
using PixMix.Imaging.Corruptions;
using PixMix.Imaging.Mixing;
using PixMix.MLNet.Evaluation;
using PixMix.MLNet.Models;
using PixMix.MLNet.Persistence;
using PixMix.MLNet.Training;
using PixMix.MLNet.Scoring;
using PixMix.MLNet.Transforms;
using PixMix.Imaging.Sources;
using PixMix.TestSupport;

namespace PixMix.Cli.Tests;

/// <summary>
/// ML.NET's ordinary image pipeline over PNG files on disk, trained once:
/// <c>(ImagePath, Label) -> MapValueToKey("Label") -> LoadImages -> ResizeImages(32, 32) -> PixMix -> ImageClassifier -> MapKeyToValue("PredictedLabel")</c>,
/// with the keys in MapValueToKey's default order (by occurrence), which is not the folder's alphabetical order.
/// </summary>
public sealed class OrdinaryPipelineFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public OrdinaryPipelineFixture()
    {
        Context = new MLContext(seed: 1);
        Train = WriteSplit("train", train: true, count: 300);
        // The test rows in the order a folder: data set lists them (class folders, then files, ordinal), so that corruptions
        // generated per row index match between the library and the command line.
        TestRows = WriteSplit("test", train: false, count: 120).OrderBy(r => r.Label, StringComparer.Ordinal).ThenBy(r => r.ImagePath, StringComparer.Ordinal).ToList();
        var pipeline = Context.Transforms.Conversion.MapValueToKey("Label")
            .Append(Context.Transforms.LoadImages("Picture", imageFolder: null, inputColumnName: "ImagePath"))
            .Append(Context.Transforms.ResizeImages("Picture", 32, 32))
            .Append(Context.Transforms.PixMix("Features", "Picture", MixingSet.Fractals(count: 8, seed: 0), PixMixOptions.Cifar))
            .Append(Context.MulticlassClassification.Trainers.ImageClassifier(new ImageClassifierOptions
            {
                Architecture = ModelArchitecture.SmallCnn, Epochs = 2, BatchSize = 50, Seed = 3,
            }))
            .Append(Context.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var trainView = Context.Data.LoadFromEnumerable(Train);
        Model = pipeline.Fit(trainView);
        InputSchema = trainView.Schema;
        ModelPath = Path.Combine(_folder.Path, "model.zip");
        Context.Model.SavePixMixModel(Model, InputSchema, ModelPath);
    }

    public MLContext Context { get; }
    public List<Row> Train { get; }
    public List<Row> TestRows { get; }
    public ITransformer Model { get; }
    public DataViewSchema InputSchema { get; }
    public string ModelPath { get; }
    public string DataFolder => Path.Combine(_folder.Path, "pictures");
    /// <summary>The class folders' names: Fashion-MNIST's, with the one slash replaced.</summary>
    public static readonly string[] ClassNames = FashionMnist.ClassNames.Select(n => n.Replace('/', '-')).ToArray();

    public IDataView TestView => Context.Data.LoadFromEnumerable(TestRows);

    // <pictures>/<split>/<class>/<i>.png, 28x28 grey, from the shipped Fashion-MNIST; rows in the data's own order.
    private List<Row> WriteSplit(string split, bool train, int count)
    {
        var source = FashionMnist.Open(train);
        var rows = new List<Row>();
        var pixels = new byte[28 * 28];
        for (int i = 0; i < count; i++)
        {
            source.ReadImage(i, pixels);
            string name = ClassNames[source.ReadLabel(i)];
            string path = Path.Combine(DataFolder, split, name, $"{i:D4}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            ImageCodec.WritePng(new ImageU8(28, 28, 1, (byte[])pixels.Clone()), path);
            rows.Add(new Row { ImagePath = path, Label = name });
        }
        return rows;
    }

    public void Dispose() => _folder.Dispose();

    public sealed class Row
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }
}

public class OrdinaryPipelineTests(OrdinaryPipelineFixture fx) : IClassFixture<OrdinaryPipelineFixture>
{
    private static SafetyEvaluationOptions Options() => new()
    {
        GeneratedCorruptions = [CorruptionKind.GaussianNoise, CorruptionKind.Contrast],
        GeneratedSeverities = [1, 5],
        SyntheticOutOfDistribution = [SyntheticOodKind.Gaussian, SyntheticOodKind.Blobs],
        Seed = 5,
    };

    [Fact]
    public void KeysAreInOccurrenceOrderNotAlphabetical()
    {
        // The premise of the tests below: the model's classes are not in the folder's (sorted) order.
        var firstSeen = fx.Train.Select(r => r.Label).Distinct().ToArray();
        Assert.NotEqual(firstSeen, firstSeen.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void CleanErrorEqualsMLNetsEvaluateToTheLastExample()
    {
        var report = fx.Context.MulticlassClassification.EvaluateSafety(fx.Model, fx.TestView, Options());
        var metrics = fx.Context.MulticlassClassification.Evaluate(fx.Model.Transform(fx.TestView));
        Assert.Equal(fx.TestRows.Count, report.Clean.Examples);
        Assert.Equal(Math.Round((1 - metrics.MicroAccuracy) * fx.TestRows.Count), Math.Round(report.Clean.Error * fx.TestRows.Count));
        Assert.Equal(1 - metrics.MicroAccuracy, report.Clean.Error, 12);
        Assert.InRange(report.Clean.Error, 0.05, 0.8); // learned something, and not everything
        Assert.Equal(ClassMatchingKind.ByName, report.Metadata.ClassMatching);
        // Per-class errors in the model's classes add up to the clean error; the confusion matrix holds every example.
        var perClass = report.Classes!.PerClass;
        Assert.Equal(10, perClass.Count);
        Assert.Equal(report.Clean.Error, perClass.Sum(c => c.Examples * (double.IsNaN(c.Error) ? 0 : c.Error)) / fx.TestRows.Count, 9);
        Assert.Equal(fx.TestRows.Count, report.Classes.ConfusionMatrix!.Sum(r => r.Sum()));
        Assert.Equal(fx.TestRows.Select(r => r.Label).Distinct().Order(), perClass.Where(c => c.Examples > 0).Select(c => c.Name).Order());
    }

    [Fact]
    public void CorruptionsAndOodSetsEvaluateAtTheResizedImage()
    {
        var options = Options();
        // A "corruption" that is the resized clean images themselves, made with ML.NET's own LoadImages + ResizeImages:
        // scored from the chain's entry, it must give exactly the clean error.
        options.Corruptions = [new CorruptedSubset("identity", 1, ResizedCleanImages())];
        var report = fx.Context.MulticlassClassification.EvaluateSafety(fx.Model, fx.TestView, options);
        var cells = report.Corruptions!.Results.ToDictionary(r => r.Corruption);
        Assert.Equal(report.Clean.Error, cells["identity"].Severities.Single().Error, 12);
        Assert.Equal(["identity", "gaussian_noise", "contrast"], report.Corruptions.Results.Select(r => r.Corruption));
        Assert.All(cells["gaussian_noise"].Severities, s => Assert.Equal(fx.TestRows.Count, s.Examples));
        Assert.Equal([1, 5], cells["contrast"].Severities.Select(s => s.Severity));
        // Severity 5 contrast leaves a nearly flat picture: the model must do clearly worse than on clean images.
        Assert.True(cells["contrast"].Severities[1].Error > report.Clean.Error, $"{cells["contrast"].Severities[1].Error} vs {report.Clean.Error}");
        Assert.Equal(["gaussian", "blobs"], report.AnomalyDetection!.Sets.Select(s => s.OodSet));
        Assert.All(report.AnomalyDetection.Sets, s => Assert.Equal(fx.TestRows.Count, s.Examples));
        Assert.Contains("Picture", report.Metadata.ImageEntry);
    }

    [Fact]
    public void PgdAttacksTheResizedImagesWithTheirLabelsInTheModelsClasses()
    {
        var steps = ((IEnumerable<ITransformer>)fx.Model).ToList();
        var classifier = steps.OfType<ImageClassificationTransformer>().Single();
        var pixmix = steps.OfType<PixMixTransformer>().Single();
        var options = new SafetyEvaluationOptions
        {
            AdversarialModel = () => new PgdTarget(classifier.Network, pixmix.Recipe.Mean, pixmix.Recipe.Std),
            AdversarialMaxExamples = 40,
            Pgd = new PgdOptions { Steps = 2, BatchSize = 16 },
        };
        var report = fx.Context.MulticlassClassification.EvaluateSafety(fx.Model, fx.TestView, options);
        // The attack's own clean error on the first 40 images is the pipeline's error on those rows.
        var first = fx.Context.Data.LoadFromEnumerable(fx.TestRows.Take(40));
        var metrics = fx.Context.MulticlassClassification.Evaluate(fx.Model.Transform(first));
        Assert.Equal(40, report.Adversarial!.Examples);
        Assert.Equal(1 - metrics.MicroAccuracy, report.Adversarial.CleanError, 9);
        Assert.True(report.Adversarial.AdversarialError >= report.Adversarial.CleanError);
    }

    [Fact]
    public void MapKeyToValueGivesTheClassNames()
    {
        var scored = fx.Model.Transform(fx.TestView);
        var predicted = scored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(m => m.ToString()).ToList();
        Assert.Equal(fx.TestRows.Count, predicted.Count);
        Assert.All(predicted, p => Assert.Contains(p, OrdinaryPipelineFixture.ClassNames));
        var engine = fx.Context.Model.CreatePredictionEngine<OrdinaryPipelineFixture.Row, Prediction>(fx.Model);
        Assert.Equal(predicted[0], engine.Predict(fx.TestRows[0]).PredictedLabel);
    }

    [Fact]
    public void SaveAndLoadGiveIdenticalResults()
    {
        var loaded = fx.Context.Model.LoadPixMixModel(fx.ModelPath, out var schema);
        Assert.NotNull(schema.GetColumnOrNull("ImagePath"));
        var a = fx.Context.MulticlassClassification.EvaluateSafety(fx.Model, fx.TestView, Options());
        var b = fx.Context.MulticlassClassification.EvaluateSafety(loaded, fx.TestView, Options());
        Assert.Equal(a.Clean.Error, b.Clean.Error);
        Assert.Equal(a.Corruptions!.Results.SelectMany(r => r.Severities.Select(s => s.Error)), b.Corruptions!.Results.SelectMany(r => r.Severities.Select(s => s.Error)));
        Assert.Equal(a.AnomalyDetection!.Sets.Select(s => s.Auroc), b.AnomalyDetection!.Sets.Select(s => s.Auroc));
        Assert.Equal(a.Classes!.ConfusionMatrix!.SelectMany(r => r), b.Classes!.ConfusionMatrix!.SelectMany(r => r));
        var p1 = fx.Model.Transform(fx.TestView).GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(m => m.ToString());
        var p2 = loaded.Transform(fx.TestView).GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(m => m.ToString());
        Assert.Equal(p1, p2);
    }

    [Fact]
    public void PixmixEvaluateGivesTheSameNumbersOnTheSavedModel()
    {
        var library = fx.Context.MulticlassClassification.EvaluateSafety(fx.Model, fx.TestView, Options());
        var cli = CliRunner.RunJson("evaluate", "--model", fx.ModelPath, "--test", "folder:" + fx.DataFolder,
            "--generate-corruptions", "--corruptions", "gaussian_noise,contrast", "--severities", "1,5", "--ood", "gaussian,blobs", "--seed", "5", "--json");
        Assert.Equal(fx.TestRows.Count, cli.GetProperty("examples").GetInt32());
        Assert.Equal(library.Clean.Error, cli.GetProperty("error").GetDouble(), 12);
        Assert.Equal(library.Corruptions!.AverageError, cli.GetProperty("corruptionError").GetDouble(), 12);
        Assert.Equal(library.AnomalyDetection!.MeanAuroc, cli.GetProperty("meanAuroc").GetDouble(), 12);
    }

    [Fact]
    public void PixmixEvaluateRefusesAClassNameMismatch()
    {
        using var other = new TempFolder();
        // The same pictures, one class folder renamed.
        foreach (var row in fx.TestRows)
        {
            string label = row.Label == "Bag" ? "Handbag" : row.Label;
            string path = Path.Combine(other.Path, label, Path.GetFileName(row.ImagePath));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Copy(row.ImagePath, path);
        }
        CliRunner.AssertBadInput(["evaluate", "--model", fx.ModelPath, "--test", "folder:" + other.Path], "Class mismatch", "'Handbag'", "'Bag'", fx.ModelPath);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("text")]
    public void PixmixEvaluateChecksEveryPictureBeforeTheChainReadsIt(string kind)
    {
        using var other = new TempFolder();
        foreach (var row in fx.TestRows.Take(20))
        {
            string path = Path.Combine(other.Path, row.Label, Path.GetFileName(row.ImagePath));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Copy(row.ImagePath, path);
        }
        string bad = Path.Combine(other.Path, fx.TestRows[0].Label, "zz-bad.png");
        if (kind == "empty") File.WriteAllBytes(bad, []);
        else File.WriteAllText(bad, "not a picture");
        string expected = kind == "empty" ? "not a regular file" : "Cannot decode picture";
        CliRunner.AssertBadInput(["evaluate", "--model", fx.ModelPath, "--test", "folder:" + other.Path], bad, expected);
    }

    [Fact]
    public void PixmixEvaluateRefusesDataThatAreNotPictureFiles()
        => CliRunner.AssertBadInput(["evaluate", "--model", fx.ModelPath, "--test", "fashion-mnist", "--limit", "10"], "loads its own pictures", "folder:");

    private IImageSource ResizedCleanImages()
    {
        var resize = fx.Context.Transforms.LoadImages("Picture", null, "ImagePath").Append(fx.Context.Transforms.ResizeImages("Picture", 32, 32));
        var view = resize.Fit(fx.TestView).Transform(fx.TestView);
        var images = new List<byte[]>();
        using (var cursor = view.GetRowCursor(view.Schema.Where(c => c.Name == "Picture")))
        {
            var getter = cursor.GetGetter<MLImage>(view.Schema["Picture"]);
            MLImage image = null!;
            while (cursor.MoveNext())
            {
                getter(ref image);
                var px = image.Pixels;
                var rgb = new byte[32 * 32 * 3];
                bool bgra = image.PixelFormat == MLPixelFormat.Bgra32;
                for (int i = 0; i < 32 * 32; i++)
                {
                    rgb[3 * i] = px[4 * i + (bgra ? 2 : 0)]; rgb[3 * i + 1] = px[4 * i + 1]; rgb[3 * i + 2] = px[4 * i + (bgra ? 0 : 2)];
                }
                images.Add(rgb);
            }
        }
        var labels = fx.TestRows.Select(r => Array.IndexOf(OrdinaryPipelineFixture.ClassNames, r.Label)).ToArray();
        return new ArrayImageSource(images, 32, 32, 3, labels, OrdinaryPipelineFixture.ClassNames);
    }

    private sealed class Prediction
    {
        public string PredictedLabel { get; set; } = "";
    }
}
