namespace PixMix.Notebooks.Tests;

/// <summary>The notebook runner itself: it must report failures, and the library must work inside its kernel.</summary>
public class HarnessTests
{
    internal static string WriteNotebook(params string[] codeCells)
    {
        var cells = codeCells.Select(c => new Dictionary<string, object?>
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = new Dictionary<string, object> { ["dotnet_interactive"] = new Dictionary<string, string> { ["language"] = "csharp" } },
            ["outputs"] = Array.Empty<object>(),
            ["source"] = c,
        });
        var notebook = new Dictionary<string, object>
        {
            ["cells"] = cells,
            ["metadata"] = new Dictionary<string, object>
            {
                ["kernelspec"] = new Dictionary<string, string> { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 4,
        };
        var dir = Directory.CreateTempSubdirectory("pixmix-notebook-");
        var path = Path.Combine(dir.FullName, "probe.ipynb");
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(notebook));
        return path;
    }

    private static async Task<IReadOnlyList<CellRun>> RunAsync(string path, double cellTimeoutSeconds = 60)
    {
        try
        {
            return await NotebookRunner.RunAsync(path, NotebookRunner.CodeCells(NotebookRunner.ReadCells(path)), TimeSpan.FromSeconds(cellTimeoutSeconds),
                LibraryReferences.SetupCell());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task AFailingCellIsReportedWithItsIndexSourceAndError()
    {
        var path = WriteNotebook(NotebookRunner.SetupMarker, "var x = 1;", "throw new InvalidOperationException(\"cell two broke\");", "var never = 3;");
        var runs = await RunAsync(path);
        Assert.Equal(3, runs.Count); // stops at the failing cell
        Assert.False(runs[1].Failed);
        Assert.True(runs[2].Failed);
        var message = runs[2].Describe();
        Assert.Contains("code cell 2", message);
        Assert.Contains("cell two broke", message);
        Assert.Contains("throw new InvalidOperationException", message);
    }

    [Fact]
    public async Task ACompileErrorFailsTheCell()
    {
        var runs = await RunAsync(WriteNotebook(NotebookRunner.SetupMarker, "int y = \"not a number\";"));
        Assert.True(runs[1].Failed);
        Assert.Contains("CS0029", runs[1].Describe());
    }

    [Fact]
    public async Task ACellThatRunsTooLongFailsWithATimeout()
    {
        var runs = await RunAsync(WriteNotebook(NotebookRunner.SetupMarker, "System.Threading.Thread.Sleep(20_000);", "var never = 1;"), cellTimeoutSeconds: 8);
        Assert.Equal(2, runs.Count);
        Assert.True(runs[1].Failed);
        Assert.Contains("did not finish within 8 s", runs[1].Describe());
    }

    [Fact]
    public async Task ACompileWarningIsReported()
    {
        var runs = await RunAsync(WriteNotebook(NotebookRunner.SetupMarker, "string? maybe = null;"));
        Assert.False(runs[1].Failed);
        Assert.Contains(runs[1].Warnings, w => w.StartsWith("CS8632", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StandardErrorFailsTheCell()
    {
        var runs = await RunAsync(WriteNotebook(NotebookRunner.SetupMarker, "Console.Error.WriteLine(\"something went wrong\");"));
        Assert.True(runs[1].Failed);
        Assert.Contains("stderr: something went wrong", runs[1].Describe());
    }

    [Fact]
    public async Task ANotebookWithoutASetupCellIsRejected()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => RunAsync(WriteNotebook("var x = 1;")));
        Assert.Contains(NotebookRunner.SetupMarker, e.Message);
    }

    [Fact]
    public async Task TheLibraryAndTorchSharpWorkInsideTheKernel()
    {
        var path = WriteNotebook(NotebookRunner.SetupMarker,
            """
            using TorchSharp;
            var x = torch.tensor(new float[] { 1f, 2f, 3f });
            var y = (x * x).sum();
            Console.Write($"torch:{y.item<float>()};");
            y.Dispose(); x.Dispose();
            """,
            """
            var img = new PixMix.Imaging.ImageU8(8, 8, 3);
            PixMix.Imaging.Fractals.FractalGenerator.Render(0, 0, img);
            Console.Write($"pixels:{img.Length};cwd:{Environment.CurrentDirectory}");
            """);
        var runs = await RunAsync(path);
        Assert.All(runs, r => Assert.False(r.Failed, r.Describe()));
        Assert.Equal("torch:14;", runs[1].StandardOutput);
        Assert.Equal($"pixels:192;cwd:{Path.GetDirectoryName(path)}", runs[2].StandardOutput);
    }

    [Fact]
    public void APackageVersionReplacesOnlyThePixMixReferencesOfTheSetupCell()
    {
        const string setup = "// pixmix: setup\n#r \"nuget: PixMix.MLNet, 1.0.0\"\n// PixMix.Data.FashionMnist, 1.0.0 in a comment\n"
            + "#r \"nuget: PixMix.Data.FashionMnist, 1.0.0\"\n#r \"nuget: TorchSharp-cpu, 0.107.0\"";
        var rewritten = NotebookRunner.WithPackageVersion(setup, "1.0.0-ci");
        Assert.Equal("// pixmix: setup\n#r \"nuget: PixMix.MLNet, 1.0.0-ci\"\n// PixMix.Data.FashionMnist, 1.0.0 in a comment\n"
            + "#r \"nuget: PixMix.Data.FashionMnist, 1.0.0-ci\"\n#r \"nuget: TorchSharp-cpu, 0.107.0\"", rewritten);
    }

    [Fact]
    public void EveryNotebookSetupCellNamesTheLibraryTheDataAndABackend()
    {
        foreach (var name in new[] { "01-pixmix-samples-and-fractals.ipynb", "02-train-with-pixmix.ipynb", "03-evaluate-on-cifar-c.ipynb" })
        {
            var setup = NotebookRunner.CodeCells(NotebookRunner.ReadCells(NotebookTests.NotebookPath(name)))[0];
            Assert.Contains(NotebookRunner.SetupMarker, setup);
            Assert.Contains("#r \"nuget: PixMix.MLNet, 1.0.0\"", setup);
            Assert.Contains("#r \"nuget: PixMix.Data.FashionMnist, 1.0.0\"", setup);
            Assert.Contains("#r \"nuget: TorchSharp-cpu, 0.107.0\"", setup);
            Assert.Contains("nuget: PixMix.MLNet, 9.9.9", NotebookRunner.WithPackageVersion(setup, "9.9.9"));
        }
    }
}
