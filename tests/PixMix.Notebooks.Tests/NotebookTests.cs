using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using SkiaSharp;
using PixMix.TestSupport;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace PixMix.Notebooks.Tests;

/// <summary>
/// Runs every notebook of <c>notebooks/</c> top to bottom in a fresh in-process C# kernel, as a reader would, and
/// fails on the first cell that fails (compile error, exception, error output).
/// </summary>
public partial class NotebookTests
{
    private static readonly TimeSpan CellTimeout = TimeSpan.FromSeconds(120);

    internal static string NotebookPath(string fileName) => RepositoryRoot.Combine("notebooks", fileName);

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(RepositoryRoot.Combine("notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    private static async Task<IReadOnlyList<CellRun>> RunNotebookAsync(string fileName)
    {
        var path = NotebookPath(fileName);
        var code = NotebookRunner.CodeCells(NotebookRunner.ReadCells(path));
        var runs = await NotebookRunner.RunAsync(path, code, CellTimeout, LibraryReferences.SetupCell());
        SaveOutputs(fileName, runs);
        var failed = runs.FirstOrDefault(r => r.Failed);
        Assert.True(failed is null, $"{fileName}: {failed?.Describe()}");
        Assert.Equal(code.Count, runs.Count);
        var warnings = runs.SelectMany(r => r.Warnings.Select(w => $"code cell {r.Index}: {w}")).ToList();
        Assert.True(warnings.Count == 0, $"{fileName} compiles with warnings:\n{string.Join('\n', warnings)}");
        return runs;
    }

    /// <summary>
    /// With PIXMIX_NOTEBOOK_OUTPUTS set to a folder, writes what each cell printed and every displayed picture there,
    /// to look at what the notebooks show without a notebook front end.
    /// </summary>
    internal static void SaveOutputs(string fileName, IReadOnlyList<CellRun> runs)
    {
        var folder = Environment.GetEnvironmentVariable("PIXMIX_NOTEBOOK_OUTPUTS");
        if (string.IsNullOrEmpty(folder)) return;
        var name = Path.GetFileNameWithoutExtension(fileName);
        Directory.CreateDirectory(folder);
        var text = new System.Text.StringBuilder();
        int picture = 0;
        foreach (var run in runs)
        {
            text.AppendLine($"--- code cell {run.Index} ({run.Elapsed.TotalSeconds:F1} s){(run.Failed ? " failed" : "")}");
            text.Append(run.StandardOutput);
            foreach (var value in run.Displayed)
            {
                if (value.MimeType != "text/html") { text.AppendLine($"[{value.MimeType}]").AppendLine(value.Value); continue; }
                foreach (Match m in PngDataUri().Matches(value.Value))
                {
                    var png = Path.Combine(folder, $"{name}-{picture++:00}.png");
                    File.WriteAllBytes(png, Convert.FromBase64String(m.Groups[1].Value));
                    text.AppendLine($"[image {Path.GetFileName(png)}]");
                }
            }
            foreach (var error in run.Errors) text.AppendLine("error: " + error);
        }
        File.WriteAllText(Path.Combine(folder, name + ".txt"), text.ToString());
    }

    [GeneratedRegex("data:image/png;base64,([A-Za-z0-9+/=]+)")]
    private static partial Regex PngDataUri();

    /// <summary>The PNG pictures the cells displayed as HTML, decoded.</summary>
    private static List<SKBitmap> DisplayedPngs(IEnumerable<CellRun> runs)
    {
        var bitmaps = new List<SKBitmap>();
        foreach (var value in runs.SelectMany(r => r.Displayed).Where(v => v.MimeType == "text/html"))
            foreach (Match m in PngDataUri().Matches(value.Value))
            {
                var bitmap = SKBitmap.Decode(Convert.FromBase64String(m.Groups[1].Value));
                Assert.True(bitmap is not null, "a displayed image is not a valid PNG");
                bitmaps.Add(bitmap);
            }
        return bitmaps;
    }

    /// <summary>Number of distinct colours in the picture: 1 for a blank one.</summary>
    private static int DistinctColours(SKBitmap bitmap)
    {
        var colours = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
                colours.Add((uint)bitmap.GetPixel(x, y));
        return colours.Count;
    }

    private static string AllOutput(IEnumerable<CellRun> runs) => string.Concat(runs.Select(r => r.StandardOutput));

    [Fact]
    public async Task PixMixSamplesAndFractalsNotebookRuns()
    {
        var runs = await RunNotebookAsync("01-pixmix-samples-and-fractals.ipynb");

        // 10 fractals, 8 Fashion-MNIST images, 4 rows of a clean image and 5 PixMix samples.
        var images = DisplayedPngs(runs);
        Assert.Equal(10 + 8 + 4 * 6, images.Count);
        // Fractals and Fashion-MNIST pictures have many colours; a PixMix sample can legitimately saturate to a few
        // (strong add weights clip an object to white and its background to black), but never to one or two.
        Assert.All(images.Take(18), b => Assert.True(DistinctColours(b) > 8, $"a displayed {b.Width}x{b.Height} picture is (nearly) blank"));
        Assert.All(images.Skip(18), b => Assert.True(DistinctColours(b) > 2, $"a displayed {b.Width}x{b.Height} sample is (nearly) blank"));
        Assert.Equal(10, images.Count(b => b.Width == 96));
        Assert.Equal(8 + 4 * 6, images.Count(b => b.Width == 32 && b.Height == 32));
        Assert.Contains("Fashion-MNIST test split: 10000 images, 32x32x3", AllOutput(runs));
    }

    [Fact]
    public async Task TrainWithPixMixNotebookRuns()
    {
        var runs = await RunNotebookAsync("02-train-with-pixmix.ipynb");

        // Ten test images with their predicted classes.
        var images = DisplayedPngs(runs);
        Assert.Equal(10, images.Count);
        Assert.All(images, b => Assert.True(DistinctColours(b) > 8, "a displayed test image is (nearly) blank"));

        var output = AllOutput(runs);
        Assert.Contains("train: 600 rows, test: 200 rows", output);
        Assert.Contains("epoch 2/2", output); // the trainer's progress reports reach the cell's output
        Assert.Contains("SmallCnn:", output);
        Assert.Matches(@"accuracy \d+(\.\d)? ?%", output);
        Assert.Contains("reloaded: identical scores on all 200 test images", output);
        Assert.Matches(@"\d+/10 correct", output);
        Assert.EndsWith("done", output.TrimEnd());
    }

    [Fact]
    public async Task EvaluateOnCifarCNotebookRuns()
    {
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PIXMIX_CIFAR10C")), "the test runs the generated benchmark; unset PIXMIX_CIFAR10C");
        var runs = await RunNotebookAsync("03-evaluate-on-cifar-c.ipynb");

        // 5 rows of corrupted samples (5 severities side by side), then heat map, bars and reliability diagram.
        var images = DisplayedPngs(runs);
        Assert.Equal(5 + 3, images.Count);
        // Fractals and Fashion-MNIST pictures have many colours; a PixMix sample can legitimately saturate to a few
        // (strong add weights clip an object to white and its background to black), but never to one or two.
        Assert.All(images.Take(18), b => Assert.True(DistinctColours(b) > 8, $"a displayed {b.Width}x{b.Height} picture is (nearly) blank"));
        Assert.All(images.Skip(18), b => Assert.True(DistinctColours(b) > 2, $"a displayed {b.Width}x{b.Height} sample is (nearly) blank"));
        Assert.Equal(5, images.Count(b => b.Width == 5 * 34 && b.Height == 32));
        Assert.Contains(images, b => b.Width == 800 && b.Height == 500);

        var markdown = runs.SelectMany(r => r.Displayed).Where(v => v.MimeType == "text/markdown").Select(v => v.Value).ToList();
        Assert.Single(markdown);
        foreach (var corruption in new[] { "gaussian_noise", "defocus_blur", "fog", "contrast", "pixelate" })
            Assert.Contains(corruption, markdown[0]);

        var output = AllOutput(runs);
        Assert.Contains("clean test images: 200", output);
        Assert.Contains("5 corruptions (gaussian_noise, defocus_blur, fog, contrast, pixelate)", output);
        Assert.Contains("over 25 cells", output);
        Assert.EndsWith("done", output.TrimEnd());
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void NotebookIsACSharpNotebookWithASetupCell(string fileName)
    {
        var path = NotebookPath(fileName);
        using (var json = JsonDocument.Parse(File.ReadAllText(path)))
            Assert.Equal(".net-csharp", json.RootElement.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());

        var cells = NotebookRunner.ReadCells(path);
        var code = NotebookRunner.CodeCells(cells);
        Assert.Equal(cells.Count(c => c.KernelName != "markdown"), code.Count); // every code cell is C#
        Assert.True(cells.Count(c => c.KernelName == "markdown") >= 3, "the steps are explained in markdown cells");

        // The setup cell references the package at the version the repository builds.
        var version = typeof(PixMix.MLNet.Evaluation.SafetyReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!
            .InformationalVersion.Split('+')[0];
        Assert.StartsWith(NotebookRunner.SetupMarker, code[0].TrimStart());
        Assert.Contains($"#r \"nuget: PixMix.MLNet, {version}\"", code[0]);
    }
}
