using System.Text.Json;

namespace PixMix.Notebooks.Tests;

/// <summary>
/// The notebook runner process that <see cref="PackagedNotebookTests"/> start: it must be free of PixMix and TorchSharp
/// (else the packaged runs would not load them from the NuGet cache), reject bad arguments, and report a failing cell
/// in its JSON report and exit code.
/// </summary>
public class NotebookProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public void TheRunnerReferencesNeitherPixMixNorTorchSharp()
    {
        var folder = Path.GetDirectoryName(NotebookProcess.RunnerPath)!;
        var deps = Path.ChangeExtension(NotebookProcess.RunnerPath, ".deps.json");
        using var document = JsonDocument.Parse(File.ReadAllText(deps));
        var libraries = document.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name[..l.Name.IndexOf('/')]).ToList();
        Assert.Contains("Microsoft.DotNet.Interactive.CSharp", libraries);
        Assert.DoesNotContain(libraries, l => l.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase)
            || l.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase)
            || (l.StartsWith("PixMix.", StringComparison.OrdinalIgnoreCase) && l != "PixMix.Notebooks.Runner"));
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.DoesNotContain(files, f => f!.Contains("TorchSharp", StringComparison.OrdinalIgnoreCase)
            || f.StartsWith("PixMix.MLNet", StringComparison.Ordinal) || f.StartsWith("PixMix.Imaging", StringComparison.Ordinal));
        // Not the folder of these tests, which holds the build-patched native library.
        Assert.NotEqual(Path.GetFullPath(AppContext.BaseDirectory).TrimEnd('/'), folder.TrimEnd('/'));
    }

    [Theory]
    [InlineData(new string[0], "expected 3 or 4 arguments")]
    [InlineData(new[] { "", "", "60", "1.0.0 ci" }, "package-version:")]
    [InlineData(new[] { "/no/such/notebook.ipynb", "/tmp", "60" }, "notebook:")]
    [InlineData(new[] { "", "/no/such/folder", "60" }, "packages-folder:")]
    [InlineData(new[] { "", "", "soon" }, "cell-timeout-seconds:")]
    public async Task BadArgumentsExitWithCode2AndNameTheArgument(string[] arguments, string message)
    {
        // "" stands for an existing notebook or folder.
        var notebook = NotebookTests.NotebookPath("01-pixmix-samples-and-fractals.ipynb");
        var args = arguments.Select((a, i) => a.Length > 0 ? a : i == 0 ? notebook : Path.GetTempPath()).ToArray();
        var result = await NotebookProcess.RunAsync(args, Timeout);
        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains(message, result.StandardError);
        Assert.Contains("usage:", result.StandardError);
        Assert.Null(NotebookRunReport.FromOutput(result.StandardOutput));
    }
}
