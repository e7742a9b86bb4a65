using System.Text.Json;
using System.Text.RegularExpressions;
using PixMix.MLNet.Evaluation;
using PixMix.TestSupport;
using PixMix.Imaging.Sources;

namespace PixMix.Notebooks.Tests;

/// <summary>
/// The C# blocks of README.md's "## The API" section, run in order as the cells of one fresh C# kernel, as written
/// except for the data sizes, in an empty working folder: the README cannot drift from the library.
/// </summary>
public partial class ReadmeApiTests
{
    private const string Section = "## The API";
    private const int TrainCount = 150;
    private const int TestCount = 50;
    private static readonly TimeSpan CellTimeout = TimeSpan.FromSeconds(300);

    /// <summary>The sizes line of the first block; only its two numbers are replaced.</summary>
    [GeneratedRegex(@"^(?<head>int trainCount = )\d+(?<mid>, testCount = )\d+(?<tail>;.*)$", RegexOptions.Multiline)]
    private static partial Regex SizesLine();

    [GeneratedRegex(@"epoch (\d+)/\1, loss ")]
    private static partial Regex LastEpochReport();

    /// <summary>The fenced blocks of the section, in order, with their info strings.</summary>
    internal static IReadOnlyList<(string Language, string Code)> SectionBlocks(string markdown, string heading)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        int start = Array.IndexOf(lines, heading);
        if (start < 0) throw new InvalidDataException($"README.md has no '{heading}' section.");
        var blocks = new List<(string, string)>();
        List<string>? current = null;
        string language = "";
        for (int i = start + 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (current is null && line.StartsWith("## ", StringComparison.Ordinal)) break;
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (current is null) { current = []; language = line[3..].Trim(); }
                else { blocks.Add((language, string.Join('\n', current))); current = null; }
                continue;
            }
            current?.Add(line);
        }
        if (current is not null) throw new InvalidDataException($"A code block of '{heading}' is not closed.");
        return blocks;
    }

    private static IReadOnlyList<string> ApiBlocks()
    {
        var blocks = SectionBlocks(File.ReadAllText(RepositoryRoot.Combine("README.md")), Section);
        // Every block of the section is C# and so runs below; none can be left out of the check.
        Assert.All(blocks, b => Assert.Equal("csharp", b.Language));
        return blocks.Select(b => b.Code).ToList();
    }

    [Fact]
    public void SectionBlocksAreFoundInOrderAndStopAtTheNextSection()
    {
        const string markdown = "# T\n```csharp\nint before;\n```\n## The API\ntext\n```csharp\nint a;\n```\n\n```csharp\nint b;\nint c;\n```\n## Next\n```csharp\nint after;\n```\n";
        var blocks = SectionBlocks(markdown, Section);
        Assert.Equal([("csharp", "int a;"), ("csharp", "int b;\nint c;")], blocks);
        Assert.Throws<InvalidDataException>(() => SectionBlocks("## The API\n```csharp\nint a;\n", Section));
    }

    [Fact]
    public void TheApiSectionHasOneSizesLine()
    {
        var blocks = ApiBlocks();
        Assert.True(blocks.Count >= 2, $"the API section has {blocks.Count} C# blocks");
        Assert.Single(blocks.SelectMany(b => SizesLine().Matches(b)));
    }

    [Fact]
    public async Task TheApiSectionRunsAsWritten()
    {
        var blocks = ApiBlocks();
        var sized = blocks.Select(b => SizesLine().Replace(b, m => $"{m.Groups["head"].Value}{TrainCount}{m.Groups["mid"].Value}{TestCount}{m.Groups["tail"].Value}")).ToList();
        Assert.Equal(1, sized.Zip(blocks).Count(p => p.First != p.Second)); // the sizes changed, in one block

        // After the README's blocks, a cell of the test's own reads the values the blocks left in their variables.
        const string check = """
            Console.WriteLine("values: " + System.Text.Json.JsonSerializer.Serialize(new
            {
                folder,
                trainRows = trainRows.Count,
                testRows = testRows.Count,
                accuracy = metrics.MicroAccuracy,
                predicted = first.PredictedLabel,
                scoreSlots = first.Score.Length,
                cleanError = report.Clean.Error,
                examples = report.Clean.Examples,
                matching = report.Metadata.ClassMatching.ToString(),
                written = written.ToArray(),
            }));
            """;
        var work = Path.Combine(Path.GetTempPath(), "pixmix-readme-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(work);
        try
        {
            var cells = new List<string> { NotebookRunner.SetupMarker };
            cells.AddRange(sized);
            cells.Add(check);
            var runs = await NotebookRunner.RunAsync(Path.Combine(work, "README.md"), cells, CellTimeout, LibraryReferences.SetupCell());
            NotebookTests.SaveOutputs("README-api.md", runs);
            var failed = runs.FirstOrDefault(r => r.Failed);
            Assert.True(failed is null, $"README.md, {Section}: {failed?.Describe()}");
            Assert.Equal(cells.Count, runs.Count);
            var warnings = runs.SelectMany(r => r.Warnings.Select(w => $"block {r.Index}: {w}")).ToList();
            Assert.True(warnings.Count == 0, $"README.md's API blocks compile with warnings:\n{string.Join('\n', warnings)}");

            var output = string.Concat(runs.Select(r => r.StandardOutput));
            Assert.Matches(LastEpochReport(), output);                    // the training progress reached the console
            Assert.Contains("Scoring the clean test data", output);       // and the evaluation's
            Assert.Contains("Classes matched by name", output);

            var line = output.Split('\n').Last(l => l.StartsWith("values: ", StringComparison.Ordinal));
            using var json = JsonDocument.Parse(line["values: ".Length..]);
            var values = json.RootElement;
            // The blocks worked in the test's folder, on the sizes the test gave.
            var folderName = Path.GetFileName(values.GetProperty("folder").GetString()!);
            Assert.Equal([folderName], Directory.EnumerateFileSystemEntries(work).Select(Path.GetFileName));
            var folder = Path.Combine(work, folderName!);
            Assert.Equal(TrainCount, values.GetProperty("trainRows").GetInt32());
            Assert.Equal(TestCount, values.GetProperty("testRows").GetInt32());
            Assert.Equal(TrainCount, Directory.EnumerateFiles(Path.Combine(folder, "train"), "*.png", SearchOption.AllDirectories).Count());
            Assert.Equal(TestCount, Directory.EnumerateFiles(Path.Combine(folder, "test"), "*.png", SearchOption.AllDirectories).Count());

            // The reloaded model, scored by EvaluateSafety, errs exactly where the fitted one does under ML.NET's Evaluate.
            Assert.Equal(TestCount, values.GetProperty("examples").GetInt32());
            Assert.Equal(1 - values.GetProperty("accuracy").GetDouble(), values.GetProperty("cleanError").GetDouble(), 9);
            Assert.Equal(nameof(ClassMatchingKind.ByName), values.GetProperty("matching").GetString());
            var classFolders = FashionMnist.ClassNames.Select(n => n.Replace('/', '-')).ToList();
            Assert.Contains(values.GetProperty("predicted").GetString(), classFolders);
            Assert.Equal(classFolders.Count, values.GetProperty("scoreSlots").GetInt32());

            // The report files: the JSON reads back as the same report, the charts are PNG pictures.
            var written = values.GetProperty("written").EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.All(written, p => Assert.True(File.Exists(p), $"{p} was not written"));
            var report = SafetyReportJson.Load(Assert.Single(written, p => Path.GetFileName(p) == "report.json"));
            Assert.Equal(TestCount, report.Clean.Examples);
            Assert.Equal(values.GetProperty("cleanError").GetDouble(), report.Clean.Error, 12);
            Assert.NotEmpty(report.Corruptions!.Results);
            Assert.All(report.Corruptions.Results, r => Assert.All(r.Severities, s => Assert.Equal(TestCount, s.Examples)));
            Assert.NotEmpty(report.AnomalyDetection!.Sets);
            Assert.Equal(classFolders.Order(StringComparer.Ordinal), report.Classes!.PerClass.Select(c => c.Name).Order(StringComparer.Ordinal));
            Assert.Equal(TestCount, report.Classes.ConfusionMatrix!.Sum(r => r.Sum()));
            Assert.Contains(written, p => Path.GetFileName(p) == "report.md");
            var charts = written.Where(p => p.EndsWith(".png", StringComparison.Ordinal)).ToList();
            Assert.Contains(charts, p => Path.GetFileName(p) == "corruption-heatmap.png");
            Assert.All(charts, p => Assert.Equal<byte>([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(p)[..4]));
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
