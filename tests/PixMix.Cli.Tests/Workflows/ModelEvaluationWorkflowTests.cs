using Microsoft.ML;
using PixMix.Imaging;
using PixMix.Imaging.Mixing;
using PixMix.MLNet.Models;
using PixMix.MLNet.Persistence;
using PixMix.MLNet.Tests.Training;
using PixMix.MLNet.Tests.Transforms;
using PixMix.MLNet.Training;
using PixMix.MLNet.Transforms;
using PixMix.Cli.Workflows;
using PixMix.Imaging.Core;
using PixMix.Imaging.Corruptions;
using PixMix.Imaging.Formats;
using PixMix.Imaging.Sources;
using PixMix.TestSupport;

namespace PixMix.Cli.Tests.Workflows;

/// <summary>A small CNN trained once through <see cref="ClassifierTraining.Run"/> on 64 Fashion-MNIST images (32x32 RGB), recording a folder image size.</summary>
public sealed class WorkflowModelFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public WorkflowModelFixture()
    {
        TorchTestSettings.UseOneThread();
        ModelPath = Path.Combine(_folder.Path, "model.zip");
        ClassifierTraining.Run(new MLContext(seed: 1), new ClassifierTrainingSettings
        {
            TrainImages = ImageSourceSlice.Take(FashionMnist.OpenAs32x32Rgb(train: true), 64),
            UsePixMix = false,
            FolderImageSize = 32,
            OutputPath = ModelPath,
            Classifier = new ImageClassifierOptions { Architecture = ModelArchitecture.SmallCnn, Epochs = 1, BatchSize = 32, Seed = 1, TorchThreads = 1 },
        });
    }

    public string ModelPath { get; }
    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(_folder.Path, name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;
    public void Dispose() => _folder.Dispose();
}

/// <summary>
/// The evaluation workflow's checks of what it is given: a CIFAR-C folder must hold the test set's own images (its
/// labels equal the test labels row for row over the rows scored), and the folder image size a model records.
/// </summary>
public class ModelEvaluationWorkflowTests(WorkflowModelFixture fx) : IClassFixture<WorkflowModelFixture>
{
    private static IImageSource Test(int count) => ImageSourceSlice.Take(FashionMnist.OpenAs32x32Rgb(train: false), count);

    // Darkens the image: a corruption that keeps it recognisable and needs no parameter table.
    private static void Darken(string corruption, int severity, ImageU8 source, ImageU8 destination, long index)
    {
        var src = source.Span; var dst = destination.Span;
        for (int i = 0; i < src.Length; i++) dst[i] = (byte)(src[i] * (6 - severity) / 6);
    }

    private string CorruptedFolder(IImageSource images)
    {
        var folder = fx.NewFolder("c");
        CorruptedSetWriter.Write(images, folder, ["contrast"], Darken);
        return folder;
    }

    private ModelEvaluationResult Evaluate(string corruptedFolder, int testCount, int? limit = null) =>
        ModelEvaluation.Run(new MLContext(seed: 1), new ModelEvaluationSettings
        {
            ModelPath = fx.ModelPath, TestImages = Test(testCount), DatasetName = "fashion-mnist", Limit = limit,
            CorruptedFolder = corruptedFolder, Severities = [1, 5],
        });

    [Fact]
    public void CorruptedFolderOfTheTestSetIsAcceptedAndScoredRowForRow()
    {
        var result = Evaluate(CorruptedFolder(Test(30)), testCount: 30);

        var cells = Assert.Single(result.Report.Corruptions!.Results).Severities;
        Assert.Equal([1, 5], cells.Select(c => c.Severity));
        Assert.All(cells, c => Assert.Equal(30, c.Examples));
        Assert.Equal(30, result.Report.Clean.Examples);
    }

    [Fact]
    public void CorruptedFolderOfTheFirstMImagesIsAcceptedWithLimitMAndRefusedWithout()
    {
        var folder = CorruptedFolder(Test(12));

        var result = Evaluate(folder, testCount: 40, limit: 12);
        Assert.All(Assert.Single(result.Report.Corruptions!.Results).Severities, c => Assert.Equal(12, c.Examples));

        var error = Assert.Throws<InvalidInputDataException>(() => Evaluate(folder, testCount: 40));
        Assert.Contains($"Corrupted folder '{folder}' does not match the test set 'fashion-mnist' (40 images)", error.Message);
        Assert.Contains("holds 12 images per severity", error.Message);
        Assert.Contains("12 corrupted rows would be scored against 40 clean ones", error.Message);
        Assert.Equal(Path.Combine(folder, CifarCorruptedSet.LabelsFileName), error.Path);
    }

    [Fact]
    public void CorruptedFolderOfAnotherCountIsRefusedNamingBothSides()
    {
        var folder = CorruptedFolder(Test(50));

        var error = Assert.Throws<InvalidInputDataException>(() => Evaluate(folder, testCount: 30));

        Assert.Contains("the test set 'fashion-mnist' (30 images)", error.Message);
        Assert.Contains(Path.Combine(folder, "contrast.npy"), error.Message);
        Assert.Contains("holds 50 images per severity", error.Message);
        Assert.Contains(Path.Combine(folder, "labels.npy"), error.Message);
        Assert.Contains("50 corrupted rows would be scored against 30 clean ones", error.Message);
    }

    [Fact]
    public void CorruptedFolderWithPermutedLabelsIsRefusedNamingTheFirstDifferingRow()
    {
        var test = Test(30);
        var folder = CorruptedFolder(test);
        // N labels (one per image of a severity) with two rows of different classes swapped: the images of the test set,
        // in another order.
        var labels = Enumerable.Range(0, 30).Select(i => (byte)test.ReadLabel(i)).ToArray();
        int first = 3, other = Enumerable.Range(4, 26).First(i => labels[i] != labels[first]);
        (labels[first], labels[other]) = (labels[other], labels[first]);
        NpyWriter.Write(Path.Combine(folder, CifarCorruptedSet.LabelsFileName), labels, [30]);

        var error = Assert.Throws<InvalidInputDataException>(() => Evaluate(folder, testCount: 30));

        Assert.Contains($"labels file '{Path.Combine(folder, "labels.npy")}' gives row 3 of severity 1 label {labels[first]} ({FashionMnist.ClassNames[labels[first]]})", error.Message);
        Assert.Contains($"where the test set has {labels[other]} ({FashionMnist.ClassNames[labels[other]]})", error.Message);
        Assert.Contains("the test set 'fashion-mnist' (30 images)", error.Message);
        // Rows after the swap are not scored when the limit stops before it.
        var limited = Evaluate(folder, testCount: 30, limit: 3);
        Assert.Equal(3, limited.Report.Clean.Examples);
    }

    [Fact]
    public void TheFolderImageSizeIsRecordedInTheModelFileAndAbsentFromOtherFiles()
    {
        Assert.Equal(32, ClassifierTraining.ReadFolderImageSize(fx.ModelPath));

        var ml = new MLContext(seed: 1);
        var data = FashionMnistSample.ByteVectorView(ml, 2);
        var pixmix = ml.Transforms.PixMix(new PixMixOptions
        {
            InputColumnName = "Pixels", Recipe = PixMixRecipe.Cifar with { Size = 28, MixingResize = 32 }, MixingSet = MixingSet.Fractals(2, 0),
        }).Fit(data);
        var other = Path.Combine(fx.NewFolder("plain"), "plain.zip");
        ml.Model.SavePixMixModel(pixmix, data.Schema, other);
        Assert.Null(ClassifierTraining.ReadFolderImageSize(other));

        var wrong = Assert.Throws<ArgumentException>(() => ClassifierTraining.Run(ml, new ClassifierTrainingSettings
        {
            TrainImages = ImageSourceSlice.Take(FashionMnist.OpenAs32x32Rgb(train: true), 8), FolderImageSize = 48, OutputPath = Path.Combine(fx.NewFolder("w"), "w.zip"),
        }));
        Assert.Contains("FolderImageSize is 48", wrong.Message);
        Assert.Contains("32x32", wrong.Message);
    }
}
