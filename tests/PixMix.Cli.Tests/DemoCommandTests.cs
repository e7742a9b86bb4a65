using PixMix.TestSupport;

namespace PixMix.Cli.Tests;

/// <summary>pixmix demo: its inputs are checked before any work starts (the run itself takes minutes).</summary>
public class DemoCommandTests
{
    [Theory]
    [InlineData(new[] { "demo", "--epochs", "0" }, "--epochs")]
    [InlineData(new[] { "demo", "--train-images", "50" }, "--train-images")]
    [InlineData(new[] { "demo", "--test-images", "20000" }, "--test-images")]
    [InlineData(new[] { "demo", "--data", "/no/such/data" }, "--data", "/no/such/data")]
    [InlineData(new[] { "demo", "--seed", "many" }, "--seed")]
    [InlineData(new[] { "demo", "--seeds", "0" }, "--seeds", "1..20")]
    [InlineData(new[] { "demo", "--seeds", "21" }, "--seeds")]
    [InlineData(new[] { "demo", "--test-images", "500", "--corruption-images", "600" }, "--corruption-images", "--test-images")]
    [InlineData(new[] { "demo", "--corruption-images", "50" }, "--corruption-images")]
    [InlineData(new[] { "demo", "--test-images", "150", "--corruption-images", "100", "--perturbation-sequences", "200" }, "--perturbation-sequences", "--test-images")]
    [InlineData(new[] { "demo", "--pgd-images", "5" }, "--pgd-images")]
    [InlineData(new[] { "demo", "--lr", "0" }, "--lr", "(0, 10]")]
    [InlineData(new[] { "demo", "--batch-size", "4" }, "--batch-size")]
    [InlineData(new[] { "demo", "--dropout", "1" }, "--dropout", "[0, 1)")]
    [InlineData(new[] { "demo", "--dropout", "-0.1" }, "--dropout")]
    [InlineData(new[] { "demo", "--k", "17" }, "--k")]
    [InlineData(new[] { "demo", "--severity", "0" }, "--severity")]
    public void DemoRejectsBadInputNamingTheOption(string[] args, params string[] fragments)
        => CliRunner.AssertBadInput(args, fragments);

    [Fact]
    public void DemoRefusesAnOutputThatIsAFile()
    {
        using var dir = new TempFolder();
        var file = dir.File("taken");
        File.WriteAllText(file, "x");
        CliRunner.AssertBadInput(["demo", "--output", file, "--quick"], "--output", "taken");
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public void DemoHasHelp()
    {
        var (code, output, _) = CliRunner.Run("demo", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--quick", output);
        Assert.Contains("--seeds", output);
        Assert.Contains("--corruption-images", output);
    }
}
