using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.MLNet.Evaluation;
using PixMix.MLNet.Persistence;
using PixMix.MLNet.Training;
using PixMix.MLNet.Scoring;
using PixMix.MLNet.Transforms;
using PixMix.TestSupport;

namespace PixMix.Cli.Tests;

/// <summary>A small CNN trained once through 'pixmix train' on 256 Fashion-MNIST images, shared by the tests of its class.</summary>
public sealed class TrainedModelFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public TrainedModelFixture()
    {
        ModelPath = _folder.File("model.zip");
        TrainJson = CliRunner.RunJson("train", "--data", "fashion-mnist", "--limit", "256", "--epochs", "1", "--arch", "small-cnn",
            "--batch-size", "64", "--lr", "0.05", "--threads", "1", "--seed", "1", "--output", ModelPath, "--json");
    }

    public string ModelPath { get; }
    public System.Text.Json.JsonElement TrainJson { get; }
    public TempFolder Folder => _folder;

    public void Dispose() => _folder.Dispose();
}

/// <summary>train, evaluate and import-pytorch.</summary>
public class ModelCommandTests(TrainedModelFixture fx) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void TrainWritesAModelFileHoldingThePixMixTransformAndTheClassifier()
    {
        Assert.True(File.Exists(fx.ModelPath));
        Assert.Equal(256, fx.TrainJson.GetProperty("images").GetInt64());
        Assert.Equal(4, fx.TrainJson.GetProperty("steps").GetInt64()); // 256 images in batches of 64, one epoch
        Assert.True(fx.TrainJson.GetProperty("pixmix").GetBoolean());
        Assert.Empty(Directory.GetFiles(fx.Folder.Path, "*.tmp"));

        var ml = new MLContext(seed: 1);
        var model = ml.Model.LoadPixMixModel(fx.ModelPath, out var schema);
        var parts = ((IEnumerable<ITransformer>)model).ToList();
        Assert.IsType<PixMixTransformer>(parts[0]);
        using var classifier = Assert.IsType<ImageClassificationTransformer>(parts[^1]);
        Assert.Equal(10, classifier.ModelSpec.Classes);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Byte, 32, 32, 3), schema["Image"].Type);
    }

    [Fact]
    public void ExportOnnxWritesTheClassifierWithItsRecipeInTheMetadata()
    {
        var path = fx.Folder.File("model.onnx");
        var json = CliRunner.RunJson("export-onnx", "--model", fx.ModelPath, "--output", path, "--json");
        Assert.Equal(Path.GetFullPath(path), json.GetProperty("output").GetString());
        Assert.Equal(32, json.GetProperty("inputSize").GetInt32());
        Assert.Equal("SmallCnn", json.GetProperty("architecture").GetString());
        Assert.Empty(Directory.GetFiles(fx.Folder.Path, "*.tmp*"));

        var onnx = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var contract = PixMix.MLNet.Onnx.OnnxImageContract.FromMetadata(onnx.MetadataProps.ToDictionary(p => p.Key, p => p.Value), path);
        Assert.NotNull(contract);
        Assert.Equal(32, contract.InputSize);
        Assert.True(contract.NormalizationFolded);
        Assert.Equal([0.5f, 0.5f, 0.5f], contract.Mean);
        Assert.Equal([.. PixMix.Imaging.Sources.FashionMnist.ClassNames], contract.ClassNames);
        Assert.Equal(["image"], onnx.Graph.Input.Select(i => i.Name));
        Assert.Equal(["logits", "probabilities", "predicted_label"], onnx.Graph.Output.Select(o => o.Name));
        Assert.Contains(onnx.Graph.Node, n => n.OpType == "Conv");
    }

    [Fact]
    public void AnExportedClassifierEvaluatesWithoutOptionsAsTheModelFileDoes()
    {
        var onnx = fx.Folder.File("evaluated.onnx");
        CliRunner.RunJson("export-onnx", "--model", fx.ModelPath, "--output", onnx, "--json");
        string[] common = ["--test", "fashion-mnist", "--limit", "300", "--generate-corruptions", "--corruptions", "gaussian_noise,contrast", "--severities", "2", "--json"];
        var fromZip = CliRunner.RunJson(["evaluate", "--model", fx.ModelPath, .. common]);
        var fromOnnx = CliRunner.RunJson(["evaluate", "--model", onnx, .. common]);
        double error = fromZip.GetProperty("error").GetDouble();
        Assert.InRange(error, 0.05, 0.8); // the model learned: chance is 90% error
        Assert.Equal(error, fromOnnx.GetProperty("error").GetDouble(), 12);
        Assert.Equal("byName", fromOnnx.GetProperty("classMatching").GetString());
        Assert.Equal(fromZip.GetProperty("corruptionError").GetDouble(), fromOnnx.GetProperty("corruptionError").GetDouble(), 12);
    }

    [Fact]
    public void TrainNoPixMixSavesTheBaselineRecipe()
    {
        var path = fx.Folder.File("baseline.zip");
        var json = CliRunner.RunJson("train", "--no-pixmix", "--limit", "64", "--epochs", "1", "--arch", "small-cnn", "--batch-size", "32",
            "--threads", "1", "--output", path, "--json");
        Assert.False(json.GetProperty("pixmix").GetBoolean());
        var model = new MLContext(seed: 1).Model.LoadPixMixModel(path, out _);
        var parts = ((IEnumerable<ITransformer>)model).ToList();
        Assert.False(Assert.IsType<PixMixTransformer>(parts[0]).Recipe.UsePixMix);
        Assert.True(((IEnumerable<ITransformer>)new MLContext(seed: 1).Model.LoadPixMixModel(fx.ModelPath, out _)).OfType<PixMixTransformer>().Single().Recipe.UsePixMix);
        foreach (var part in parts) (part as IDisposable)?.Dispose();
    }

    [Fact]
    public void TrainWritesCheckpointsAndResumesFromThem()
    {
        var checkpoints = fx.Folder.File("checkpoints");
        string[] common = ["train", "--limit", "64", "--epochs", "1", "--arch", "small-cnn", "--batch-size", "32", "--threads", "1", "--seed", "4", "--json"];
        CliRunner.RunJson([.. common, "--checkpoints", checkpoints, "--output", fx.Folder.File("first.zip")]);
        Assert.NotEmpty(Directory.GetFiles(checkpoints));

        // Resuming after the last epoch trains nothing more: the model comes from the checkpoint's weights.
        var resumed = CliRunner.RunJson([.. common, "--resume", checkpoints, "--output", fx.Folder.File("resumed.zip")]);
        Assert.Equal(2, resumed.GetProperty("steps").GetInt64());
        var first = CliRunner.RunJson("evaluate", "--model", fx.Folder.File("first.zip"), "--limit", "50", "--json");
        var second = CliRunner.RunJson("evaluate", "--model", fx.Folder.File("resumed.zip"), "--limit", "50", "--json");
        Assert.Equal(first.GetProperty("error").GetDouble(), second.GetProperty("error").GetDouble());
        Assert.Equal(first.GetProperty("rmsCalibrationError").GetDouble(), second.GetProperty("rmsCalibrationError").GetDouble());

        // A checkpoint of another seed is bad input: exit code 2, one line naming the checkpoint.
        string[] otherSeed = [.. common.Select(a => a == "4" ? "5" : a)];
        var (code, _, err) = CliRunner.Run([.. otherSeed, "--resume", checkpoints, "--output", fx.Folder.File("mismatch.zip")]);
        Assert.Equal(2, code);
        Assert.Contains("Checkpoint", err);
        Assert.Contains("Seed 4", err);
        Assert.False(File.Exists(fx.Folder.File("mismatch.zip")));
    }

    [Fact]
    public void EvaluateScoresTheTrainedModelAndWritesTheReport()
    {
        var output = fx.Folder.File("report");
        var json = CliRunner.RunJson("evaluate", "--model", fx.ModelPath, "--limit", "100", "--ood", "gaussian", "--output", output, "--json");
        double error = json.GetProperty("error").GetDouble();
        Assert.Equal(100, json.GetProperty("examples").GetInt32());
        Assert.InRange(error, 0, 0.999);
        Assert.InRange(json.GetProperty("meanAuroc").GetDouble(), 0, 1);

        var report = SafetyReportJson.Load(Path.Combine(output, "report.json"));
        Assert.Equal(100, report.Clean.Examples);
        Assert.Equal(error, report.Clean.Error, 9);
        Assert.Equal("gaussian", Assert.Single(report.AnomalyDetection!.Sets).OodSet);
        Assert.Contains("Clean", File.ReadAllText(Path.Combine(output, "report.md")), StringComparison.OrdinalIgnoreCase);
        var png = File.ReadAllBytes(Path.Combine(output, "reliability.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    [Fact]
    public void EvaluateGeneratedCorruptionsGiveOneResultPerCorruptionAndSeverity()
    {
        var output = fx.Folder.File("report-c");
        CliRunner.RunJson("evaluate", "--model", fx.ModelPath, "--limit", "40", "--generate-corruptions", "--corruptions", "contrast,brightness",
            "--severities", "2,5", "--output", output, "--json");
        var report = SafetyReportJson.Load(Path.Combine(output, "report.json"));
        Assert.Equal(["contrast", "brightness"], report.Corruptions!.Results.Select(r => r.Corruption));
        Assert.All(report.Corruptions.Results, r => Assert.Equal([2, 5], r.Severities.Select(s => s.Severity)));
        Assert.All(report.Corruptions.Results.SelectMany(r => r.Severities), s => Assert.Equal(40, s.Examples));
        Assert.True(File.Exists(Path.Combine(output, "corruption-heatmap.png")));
    }

    [Fact]
    public void EvaluateReadsACorruptedFolderWrittenByCorrupt()
    {
        var folder = fx.Folder.File("c-set");
        CliRunner.RunJson("corrupt", "--limit", "30", "--corruptions", "pixelate", "--output", folder, "--json");
        var output = fx.Folder.File("c-set-report");
        var json = CliRunner.RunJson("evaluate", "--model", fx.ModelPath, "--limit", "30", "--corrupted", folder, "--output", output, "--json");

        // The folder is read as what corrupt wrote: pixelate at the five severities, 30 images each, and the reported
        // corruption error is the mean of those five errors.
        var report = SafetyReportJson.Load(Path.Combine(output, "report.json"));
        var pixelate = Assert.Single(report.Corruptions!.Results);
        Assert.Equal("pixelate", pixelate.Corruption);
        Assert.Equal([1, 2, 3, 4, 5], pixelate.Severities.Select(s => s.Severity));
        Assert.All(pixelate.Severities, s => Assert.Equal(30, s.Examples));
        Assert.All(pixelate.Severities, s => Assert.Equal(Math.Round(s.Error * 30), s.Error * 30, 9));
        Assert.Equal(pixelate.Severities.Average(s => s.Error), json.GetProperty("corruptionError").GetDouble(), 12);
    }

    [Fact]
    public void EvaluateWithTheOnnxRuntimeEngineGivesTorchSharpsNumbers()
    {
        string[] args = ["evaluate", "--model", fx.ModelPath, "--limit", "200", "--generate-corruptions", "--corruptions", "gaussian_noise,fog",
            "--severities", "1,4", "--ood", "gaussian,blobs", "--json"];
        var torch = CliRunner.RunJson(args);
        var onnx = CliRunner.RunJson([.. args, "--engine", "onnxruntime"]);
        Assert.Equal("torchsharp", torch.GetProperty("engine").GetString());
        Assert.Equal("onnxruntime", onnx.GetProperty("engine").GetString());
        Assert.Equal(200, onnx.GetProperty("examples").GetInt32());
        // Errors count arg-max disagreements: equal. Calibration and AUROC average probabilities: within 1e-4.
        foreach (var metric in new[] { "error", "corruptionError" })
            Assert.Equal(torch.GetProperty(metric).GetDouble(), onnx.GetProperty(metric).GetDouble());
        foreach (var metric in new[] { "rmsCalibrationError", "corruptionRmsCalibrationError", "meanAuroc", "meanFprAtRecall" })
            Assert.Equal(torch.GetProperty(metric).GetDouble(), onnx.GetProperty(metric).GetDouble(), 1e-4);
        Assert.True(!onnx.TryGetProperty("notEvaluated", out var missing) || missing.ValueKind == System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public void Evaluate_ReadsAPerturbedFolderAndGeneratesTheSameSequencesOnTheFly()
    {
        var folder = fx.Folder.File("p-set");
        CliRunner.RunJson("perturb", "--limit", "20", "--perturbations", "translate,shot_noise", "--levels", "1,2", "--output", folder, "--json");
        var output = fx.Folder.File("report-p");
        var json = CliRunner.RunJson("evaluate", "--model", fx.ModelPath, "--limit", "20", "--perturbed", folder, "--output", output, "--json");
        var report = SafetyReportJson.Load(Path.Combine(output, "report.json"));
        var cs = report.Consistency!;
        Assert.Equal(["shot_noise", "shot_noise_2", "translate"], cs.Perturbations.Select(p => p.Perturbation));
        Assert.Equal([1, 2, 1], cs.Perturbations.Select(p => p.Level));
        Assert.Equal([true, true, false], cs.Perturbations.Select(p => p.IsNoise));
        Assert.All(cs.Perturbations, p => Assert.Equal(20, p.Sequences));
        Assert.All(cs.Perturbations, p => Assert.InRange(p.FlipRate, 0, 1));
        Assert.All(cs.Perturbations, p => Assert.NotNull(p.Top5Distance));
        // the mean leaves level 2 out
        Assert.Equal((cs.Perturbations[0].FlipRate + cs.Perturbations[2].FlipRate) / 2, cs.MeanFlipRate, 12);
        Assert.Equal(cs.MeanFlipRate, json.GetProperty("meanFlipProbability").GetDouble(), 12);
        Assert.True(File.Exists(Path.Combine(output, "consistency-bars.png")));
        Assert.Contains("Flip probability", File.ReadAllText(Path.Combine(output, "report.md")));

        // the same sequences made on the fly (same default seed) give the same flip probabilities
        var generated = CliRunner.RunJson("evaluate", "--model", fx.ModelPath, "--limit", "20", "--generate-perturbations",
            "--perturbations", "translate,shot_noise", "--levels", "1,2", "--output", fx.Folder.File("report-g"), "--json");
        var again = SafetyReportJson.Load(Path.Combine(fx.Folder.File("report-g"), "report.json")).Consistency!;
        foreach (var p in cs.Perturbations)
            Assert.Equal(p.FlipRate, again.Perturbations.Single(q => q.Perturbation == p.Perturbation).FlipRate, 12);
        Assert.Equal(cs.MeanFlipRate, generated.GetProperty("meanFlipProbability").GetDouble(), 12);
    }

    [Fact]
    public void Evaluate_NormalizesByABaselineReportAndRefusesOneOfOtherCells()
    {
        string[] sets = ["--limit", "20", "--generate-corruptions", "--corruptions", "gaussian_noise,contrast", "--severities", "1-2",
            "--generate-perturbations", "--perturbations", "translate,shot_noise"];
        var first = fx.Folder.File("report-own");
        CliRunner.RunJson(["evaluate", "--model", fx.ModelPath, .. sets, "--output", first, "--json"]);
        var own = SafetyReportJson.Load(Path.Combine(first, "report.json"));
        Assert.Null(own.Corruptions!.Mce);
        // A baseline twice as wrong on every corruption, with flip rate 0.5 on every perturbation and clean error 0.
        var baseline = own with
        {
            Metadata = own.Metadata with { ModelName = "alexnet-like" },
            Clean = own.Clean with { Error = 0 },
            Corruptions = own.Corruptions with { Results = own.Corruptions.Results.Select(r => r with { MeanError = 2 * r.MeanError }).ToList() },
            Consistency = own.Consistency! with { Perturbations = own.Consistency.Perturbations.Select(p => p with { FlipRate = 0.5 }).ToList() },
        };
        Assert.All(own.Corruptions.Results, r => Assert.True(r.MeanError > 0, $"{r.Corruption} should cost the model some accuracy"));
        var baselinePath = fx.Folder.File("baseline.json");
        SafetyReportJson.Save(baseline, baselinePath);

        var output = fx.Folder.File("report-relative");
        var json = CliRunner.RunJson(["evaluate", "--model", fx.ModelPath, .. sets, "--baseline", baselinePath, "--output", output, "--json"]);
        Assert.Equal(50, json.GetProperty("mce").GetDouble(), 9);
        Assert.Equal(200 * own.Consistency.MeanFlipRate, json.GetProperty("mfr").GetDouble(), 9);
        var report = SafetyReportJson.Load(Path.Combine(output, "report.json"));
        Assert.Equal("alexnet-like", report.Metadata.BaselineModelName);
        Assert.All(report.Corruptions!.Results, r => Assert.Equal(50, r.CorruptionError!.Value, 9));
        Assert.Contains("baseline report of 'alexnet-like'", File.ReadAllText(Path.Combine(output, "report.md")));

        // Another severity range than the baseline's is refused, naming the baseline file and the corruption.
        CliRunner.AssertBadInput(["evaluate", "--model", fx.ModelPath, .. sets[..^5], "--severities", "1", "--baseline", baselinePath],
            "baseline.json", "measured corruption '", "at severity 1, severity 2; this evaluation at severity 1.");
        // A file that is not a report is refused by name.
        var notReport = fx.Folder.File("not-a-report.json");
        File.WriteAllText(notReport, "[1, 2, 3]");
        CliRunner.AssertBadInput(["evaluate", "--model", fx.ModelPath, "--limit", "5", "--baseline", notReport], "not-a-report.json");
    }

    [Fact]
    public void Evaluate_ReadsTheCifarPLayoutWithoutLabelsAndChecksLabelsWhenPresent()
    {
        // A folder in CIFAR-10-P's own layout: (N, frames, 32, 32, 3) uint8 per perturbation, no labels. Every frame of a
        // sequence is its clean image, so nothing flips and the rank distances are 0.
        using var dir = new TempFolder();
        var p = Directory.CreateDirectory(dir.File("cifar-p")).FullName;
        var clean = PixMix.Imaging.Sources.FashionMnist.OpenAs32x32Rgb(train: false);
        var frames = new byte[10 * 5 * 3072];
        for (int s = 0; s < 10; s++)
            for (int f = 0; f < 5; f++) clean.ReadImage(s, frames.AsSpan((s * 5 + f) * 3072, 3072));
        PixMix.Imaging.Formats.NpyWriter.Write(Path.Combine(p, "rotate.npy"), frames, 10, 5, 32, 32, 3);
        PixMix.Imaging.Formats.NpyWriter.Write(Path.Combine(p, "gaussian_noise_3.npy"), frames, 10, 5, 32, 32, 3);
        var output = dir.File("report");
        CliRunner.RunJson("evaluate", "--model", fx.ModelPath, "--limit", "10", "--perturbed", p, "--output", output, "--json");
        var cs = SafetyReportJson.Load(Path.Combine(output, "report.json")).Consistency!;
        Assert.Equal(["gaussian_noise_3", "rotate"], cs.Perturbations.Select(p => p.Perturbation));
        Assert.All(cs.Perturbations, p => Assert.Equal((0.0, 0.0, 0.0), (p.FlipRate, p.Top5Distance!.Value, p.ZipfDistance!.Value)));
        Assert.Equal(3, cs.Perturbations[0].Level);

        // labels.npy of other images is refused, naming the file
        var labels = Enumerable.Range(0, 10).Select(i => (byte)((clean.ReadLabel(i) + 1) % 10)).ToArray();
        PixMix.Imaging.Formats.NpyWriter.Write(Path.Combine(p, "labels.npy"), labels, 10);
        var message = CliRunner.AssertBadInput(["evaluate", "--model", fx.ModelPath, "--limit", "10", "--perturbed", p], "labels.npy", "sequence 0");
        Assert.Contains("does not match the test set", message);
    }

    [Theory]
    [InlineData(new[] { "evaluate", "--model", "MODEL", "--perturbed", "/no/such/folder" }, "--perturbed", "/no/such/folder")]
    [InlineData(new[] { "evaluate", "--model", "MODEL", "--perturbed", ".", "--generate-perturbations" }, "exclude each other")]
    [InlineData(new[] { "evaluate", "--model", "MODEL", "--generate-perturbations", "--perturbations", "haze" }, "--perturbations", "'haze'")]
    [InlineData(new[] { "evaluate", "--model", "MODEL", "--generate-perturbations", "--perturbation-sequences", "0" }, "--perturbation-sequences")]
    public void Evaluate_RejectsBadPerturbationOptions(string[] args, params string[] fragments)
        => CliRunner.AssertBadInput(args.Select(a => a == "MODEL" ? fx.ModelPath : a).ToArray(), fragments);

    [Theory]
    [InlineData(new[] { "evaluate", "--model", "MODEL", "--engine", "tensorrt" }, "--engine", "'tensorrt'")]
    [InlineData(new[] { "evaluate" }, "--model")]
    [InlineData(new[] { "evaluate", "--model", "/no/such/model.zip" }, "--model", "/no/such/model.zip")]
    [InlineData(new[] { "evaluate", "--model", "MODEL", "--ood", "uniform" }, "--ood", "'uniform'")]
    [InlineData(new[] { "evaluate", "--model", "MODEL", "--limit", "-3" }, "--limit")]
    [InlineData(new[] { "evaluate", "--model", "MODEL", "--severities", "6" }, "--severities")]
    [InlineData(new[] { "evaluate", "--model", "MODEL", "--corrupted", "/no/such/folder" }, "--corrupted")]
    [InlineData(new[] { "evaluate", "--model", "MODEL", "--baseline", "/no/such/report.json" }, "--baseline", "/no/such/report.json")]
    [InlineData(new[] { "evaluate", "--model", "MODEL", "--test", "folder:/no/such/folder" }, "--test")]
    public void EvaluateRejectsBadInputNamingTheOption(string[] args, params string[] fragments)
        => CliRunner.AssertBadInput(args.Select(a => a == "MODEL" ? fx.ModelPath : a).ToArray(), fragments);

    [Fact]
    public void EvaluateNamesAMalformedModelFile()
    {
        var path = fx.Folder.File("not-a-model.zip");
        File.WriteAllText(path, "this is not a zip archive");
        CliRunner.AssertBadInput(["evaluate", "--model", path], "not-a-model.zip");
    }

    [Fact]
    public void EvaluateNamesAMalformedCorruptionFile()
    {
        var folder = Directory.CreateDirectory(fx.Folder.File("bad-c")).FullName;
        File.WriteAllBytes(Path.Combine(folder, "brightness.npy"), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        CliRunner.AssertBadInput(["evaluate", "--model", fx.ModelPath, "--corrupted", folder, "--limit", "10"], "brightness.npy");
    }

    [Theory]
    [InlineData(new[] { "train" }, "--output")]
    [InlineData(new[] { "train", "--output", "OUT", "--epochs", "0" }, "--epochs")]
    [InlineData(new[] { "train", "--output", "OUT", "--arch", "vgg" }, "--arch", "vgg")]
    [InlineData(new[] { "train", "--output", "OUT", "--depth", "12" }, "--depth")]
    [InlineData(new[] { "train", "--output", "OUT", "--pixmix", "--no-pixmix" }, "--no-pixmix")]
    [InlineData(new[] { "train", "--output", "OUT", "--mixing", "/no/such/mixing" }, "--mixing", "/no/such/mixing")]
    [InlineData(new[] { "train", "--output", "OUT", "--resume", "/no/such/checkpoint" }, "--resume")]
    [InlineData(new[] { "train", "--output", "OUT", "--data", "cifar100:/no/such/folder" }, "--data")]
    public void TrainRejectsBadInputNamingTheOption(string[] args, params string[] fragments)
        => CliRunner.AssertBadInput(args.Select(a => a == "OUT" ? fx.Folder.File("never.zip") : a).ToArray(), fragments);

    [Fact]
    public void ImportPyTorchProducesAModelWhoseClassifierReproducesPyTorchsLogits()
    {
        var path = fx.Folder.File("imported.zip");
        var json = CliRunner.RunJson("import-pytorch", "--checkpoint", CliRunner.TorchFixture("wrn10_1_checkpoint.pth.tar"),
            "--depth", "10", "--widen", "1", "--output", path, "--json");
        Assert.Equal(10, json.GetProperty("classes").GetInt32());

        var model = new MLContext(seed: 1).Model.LoadPixMixModel(path, out var schema);
        var parts = ((IEnumerable<ITransformer>)model).ToList();
        var pixmix = Assert.IsType<PixMixTransformer>(parts[0]);
        Assert.Equal([0.5f, 0.5f, 0.5f], pixmix.Recipe.Mean);
        using var classifier = Assert.IsType<ImageClassificationTransformer>(parts[^1]);
        var inputs = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(CliRunner.TorchFixture("wrn10_1_inputs.f32"))).ToArray();
        var expected = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(CliRunner.TorchFixture("wrn10_1_logits.f32"))).ToArray();
        var logits = classifier.PredictLogits(inputs, 4);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - logits[i]) <= 1e-4, $"logit {i}: {expected[i]} vs {logits[i]}");

        // The imported model scores raw 32x32 RGB images through 'evaluate'.
        var scored = CliRunner.RunJson("evaluate", "--model", path, "--limit", "20", "--json");
        Assert.Equal(20, scored.GetProperty("examples").GetInt32());
    }

    [Theory]
    [InlineData(new[] { "import-pytorch", "--output", "OUT" }, "--checkpoint")]
    [InlineData(new[] { "import-pytorch", "--checkpoint", "/no/such.pth", "--output", "OUT" }, "--checkpoint", "/no/such.pth")]
    [InlineData(new[] { "import-pytorch", "--checkpoint", "CKPT", "--depth", "16", "--widen", "1", "--output", "OUT" }, "missing keys")]
    [InlineData(new[] { "import-pytorch", "--checkpoint", "INPUTS", "--depth", "10", "--widen", "1", "--output", "OUT" }, "wrn10_1_inputs.f32")]
    [InlineData(new[] { "import-pytorch", "--checkpoint", "CKPT", "--channels", "4", "--output", "OUT" }, "--channels")]
    public void ImportPyTorchRejectsBadInputNamingTheOptionOrFile(string[] args, params string[] fragments)
    {
        var path = fx.Folder.File("never-imported.zip");
        CliRunner.AssertBadInput(args.Select(a => a switch
        {
            "OUT" => path,
            "CKPT" => CliRunner.TorchFixture("wrn10_1_checkpoint.pth.tar"),
            "INPUTS" => CliRunner.TorchFixture("wrn10_1_inputs.f32"),
            _ => a,
        }).ToArray(), fragments);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void CudaAskedForWithoutAGpuIsBadInputNamingTheOption()
    {
        if (TorchSharp.torch.cuda.is_available()) return; // the failure below needs a machine without CUDA
        var (code, _, error) = CliRunner.Run("train", "--limit", "8", "--epochs", "1", "--arch", "small-cnn", "--device", "cuda",
            "--output", fx.Folder.File("cuda.zip"));
        Assert.Equal(2, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("pixmix: ", line);
        Assert.Contains("--device cuda", line);
        Assert.False(File.Exists(fx.Folder.File("cuda.zip")));
    }

    [Theory]
    [InlineData("train")]
    [InlineData("bench train")]
    public void EveryCommandReadsTheDeviceAndArchitectureTheSameWay(string command)
    {
        var (code, _, error) = CliRunner.Run([.. command.Split(' '), "--device", "gpu", "--output", fx.Folder.File("gpu.zip")]);
        Assert.Equal(2, code);
        Assert.Contains("gpu", error);
        Assert.Contains("--device", error);
        (code, _, error) = CliRunner.Run([.. command.Split(' '), "--arch", "wideresnet", "--output", fx.Folder.File("gpu.zip")]);
        Assert.Equal(2, code);
        Assert.Contains("wideresnet", error);
        string[] output = command == "train" ? ["--output", fx.Folder.File("gpu.zip")] : [];
        (code, _, error) = CliRunner.Run([.. command.Split(' '), "--arch", "wrn", "--depth", "11", .. output]);
        Assert.Equal(2, code);
        Assert.Contains("6n + 4", error);
    }
}
