using System.Text.Json;

namespace PixMix.Cli.Tests;

/// <summary>
/// <c>pixmix evaluate --model any.onnx</c> on the reference classifiers that scripts/onnx/export-reference-classifier.py
/// exported with PyTorch: the script's clean error on the same images, NHWC described by options giving NCHW's numbers,
/// the class names from the file or from an option, and refusals (exit 2) that name the option and the file.
/// </summary>
public class OnnxEvaluateCommandTests
{
    private static string Fixture(string name) => PixMix.TestSupport.RepositoryRoot.Combine("tests", "PixMix.MLNet.Onnx.Tests", "Fixtures", "onnx", name);

    private static readonly JsonElement s_expected = JsonDocument.Parse(File.ReadAllText(Fixture("reference-expected.json"))).RootElement;
    private static int AccuracyImages => s_expected.GetProperty("accuracyImages").GetInt32();
    private static int Errors => s_expected.GetProperty("errors").GetInt32();
    private static readonly string[] NhwcOptions = ["--input-layout", "nhwc", "--mean", "0.286,0.286,0.286", "--std", "0.353,0.353,0.353"];
    private static string ClassList => string.Join(",", s_expected.GetProperty("classNames").EnumerateArray().Select(n => n.GetString()));

    private static string[] Evaluate(string model, params string[] more) =>
        ["evaluate", "--model", Fixture(model), "--limit", AccuracyImages.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json", .. more];

    [Fact]
    public void NchwWithItsContractReproducesTheScriptsCleanError()
    {
        var result = CliRunner.RunJson(Evaluate("reference-nchw.onnx"));
        Assert.Equal(AccuracyImages, result.GetProperty("examples").GetInt32());
        Assert.Equal((double)Errors / AccuracyImages, result.GetProperty("error").GetDouble(), 9);
        Assert.Equal("byName", result.GetProperty("classMatching").GetString());
        var pgd = Assert.Single(result.GetProperty("notEvaluated").EnumerateArray());
        Assert.Equal("adversarial", pgd.GetProperty("measure").GetString());
    }

    [Fact]
    public void NhwcNeedsItsOptionsAndGivesNchwsNumbers()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"pixmix-onnx-report-{Guid.NewGuid():N}");
        try
        {
            string[] sets = ["--generate-corruptions", "--corruptions", "gaussian_noise,contrast", "--severities", "2", "--ood", "blobs"];
            var nchw = CliRunner.RunJson([.. Evaluate("reference-nchw.onnx"), .. sets]);
            var nhwc = CliRunner.RunJson([.. Evaluate("reference-nhwc.onnx", [.. NhwcOptions, "--class-names", ClassList, "--output", folder]), .. sets]);
            foreach (var metric in new[] { "error", "rmsCalibrationError", "corruptionError", "meanAuroc" })
                Assert.Equal(nchw.GetProperty(metric).GetDouble(), nhwc.GetProperty(metric).GetDouble(), 6);
            Assert.Equal("byName", nhwc.GetProperty("classMatching").GetString());
            string markdown = File.ReadAllText(Path.Combine(folder, "report.md"));
            Assert.Contains("## Not evaluated", markdown);
            Assert.Contains("gradient", markdown);
            Assert.Contains("\"onnx.normalization.from\": \"options\"", File.ReadAllText(Path.Combine(folder, "report.json")));
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void TorchSharpEngineForAnOnnxModelIsBadInputNamingTheOption()
        => CliRunner.AssertBadInput(Evaluate("reference-nchw.onnx", "--engine", "torchsharp"), "--engine", "reference-nchw.onnx");

    [Fact]
    public void ClassNamesComeFromTheFileOrFromAnOption()
    {
        // Without names the classes are paired by position; a file of names in another order remaps the labels by name.
        var unnamed = CliRunner.RunJson(Evaluate("reference-nhwc.onnx", NhwcOptions));
        Assert.Equal("byPosition", unnamed.GetProperty("classMatching").GetString());
        Assert.Equal((double)Errors / AccuracyImages, unnamed.GetProperty("error").GetDouble(), 9);

        string file = Path.Combine(Path.GetTempPath(), $"pixmix-classes-{Guid.NewGuid():N}.txt");
        var names = s_expected.GetProperty("classNames").EnumerateArray().Select(n => n.GetString()!).ToArray();
        try
        {
            File.WriteAllLines(file, names);
            var named = CliRunner.RunJson(Evaluate("reference-nhwc.onnx", [.. NhwcOptions, "--class-names", file]));
            Assert.Equal("byName", named.GetProperty("classMatching").GetString());
            Assert.Equal((double)Errors / AccuracyImages, named.GetProperty("error").GetDouble(), 9);

            // The option replaces the file's names: swapped names are a different model, which the error shows.
            (names[0], names[1]) = (names[1], names[0]);
            var swapped = CliRunner.RunJson(Evaluate("reference-nchw.onnx", "--class-names", string.Join(",", names)));
            Assert.Equal("remappedByName", swapped.GetProperty("classMatching").GetString());
            Assert.True(swapped.GetProperty("error").GetDouble() > (double)Errors / AccuracyImages);
        }
        finally { File.Delete(file); }
    }

    [Theory]
    [InlineData("--input-layout")]
    [InlineData("--mean")]
    public void AMissingOptionIsExit2NamingItAndTheFile(string left)
    {
        var options = left == "--input-layout" ? NhwcOptions[2..] : NhwcOptions[..2];
        CliRunner.AssertBadInput(Evaluate("reference-nhwc.onnx", options), left, "reference-nhwc.onnx", "no pixmix contract");
    }

    [Fact]
    public void ADynamicSizeNeedsInputSize()
    {
        CliRunner.AssertBadInput(Evaluate("reference-dynamic-size.onnx", "--input-layout", "nchw", "--mean", "0.286,0.286,0.286", "--std", "0.353,0.353,0.353"),
            "--input-size", "reference-dynamic-size.onnx");
        var result = CliRunner.RunJson(Evaluate("reference-dynamic-size.onnx", "--input-layout", "nchw", "--input-size", "32", "--mean", "0.286,0.286,0.286", "--std", "0.353,0.353,0.353"));
        Assert.Equal((double)Errors / AccuracyImages, result.GetProperty("error").GetDouble(), 9);
    }

    [Fact]
    public void WrongOptionsAndMalformedFilesAreExit2NamingTheFile()
    {
        CliRunner.AssertBadInput(Evaluate("reference-nhwc.onnx", ["--input-layout", "nchw", .. NhwcOptions[2..]]), "reference-nhwc.onnx", "input 'pixels'");
        CliRunner.AssertBadInput(Evaluate("reference-nhwc.onnx", [.. NhwcOptions[..4], "--std", "0.3,0,0.3"]), "--std", "reference-nhwc.onnx");
        CliRunner.AssertBadInput(Evaluate("reference-nhwc.onnx", [.. NhwcOptions, "--class-names", "a,b,c"]), "3 class names", "reference-nhwc.onnx");
        CliRunner.AssertBadInput(Evaluate("reference-nchw.onnx", "--input-layout", "hwc"), "--input-layout");
        CliRunner.AssertBadInput(Evaluate("reference-nchw.onnx", "--pgd"), "--pgd", "reference-nchw.onnx", "gradient");
        CliRunner.AssertBadInput(Evaluate("refused-grey-input.onnx", [.. NhwcOptions[2..], "--input-layout", "nchw"]), "refused-grey-input.onnx", "input 'image'");
        CliRunner.AssertBadInput(Evaluate("refused-feature-output.onnx", [.. NhwcOptions[2..], "--input-layout", "nchw"]), "refused-feature-output.onnx", "output 'features'");
        CliRunner.AssertBadInput(Evaluate("reference-nchw.onnx", "--grey"), "reference-nchw.onnx", "32x32");

        string bad = Path.Combine(Path.GetTempPath(), $"pixmix-bad-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllText(bad, "not a model");
            CliRunner.AssertBadInput(["evaluate", "--model", bad], bad);
        }
        finally { File.Delete(bad); }
    }

    [Fact]
    public void OnnxOptionsAreRefusedForPixMixModels()
        => CliRunner.AssertBadInput(["evaluate", "--model", CliRunner.TorchFixture("wrn10_1_state_dict.pth"), "--mean", "0.5,0.5,0.5"], "--mean", "ONNX");
}
