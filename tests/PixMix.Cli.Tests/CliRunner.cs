using System.Text.Json;
using PixMix.TestSupport;

namespace PixMix.Cli.Tests;

/// <summary>Runs the CLI in process and captures its output.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs a command expected to succeed and returns its single JSON line.</summary>
    public static JsonElement RunJson(params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.True(code == 0, $"exit code {code}: {error}");
        return JsonDocument.Parse(output.Trim()).RootElement;
    }

    /// <summary>Asserts exit code 2 with one "pixmix: ..." line on standard error containing every fragment.</summary>
    public static string AssertBadInput(string[] args, params string[] fragments)
    {
        var (code, _, error) = Run(args);
        Assert.True(code == 2, $"exit code {code}, expected 2: {error}");
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("pixmix: ", lines[0]);
        Assert.DoesNotContain("   at ", error);
        foreach (var f in fragments) Assert.Contains(f, lines[0]);
        return lines[0];
    }

    public static string TorchFixture(string name) => RepositoryRoot.Combine("tests", "PixMix.MLNet.Tests", "Fixtures", "torch", name);
}
