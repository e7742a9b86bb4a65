using System.Text;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace PixMix.Notebooks.Tests;

/// <summary>What one code cell did: its source as submitted, what it displayed and wrote, and its errors.</summary>
internal sealed record CellRun(int Index, string Source, IReadOnlyList<FormattedValue> Displayed, string StandardOutput,
    string StandardError, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, TimeSpan Elapsed)
{
    public bool Failed => Errors.Count > 0 || StandardError.Length > 0;

    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"code cell {Index} failed:");
        foreach (var e in Errors) text.AppendLine("  error: " + e);
        if (StandardError.Length > 0) text.AppendLine("  stderr: " + StandardError.TrimEnd());
        text.AppendLine("  source:");
        foreach (var line in Source.Split('\n')) text.AppendLine("    " + line.TrimEnd('\r'));
        return text.ToString();
    }
}

/// <summary>
/// Runs a .NET Interactive C# notebook headless, in this process, the way a user runs it top to bottom: every C#
/// code cell in order, in one fresh <see cref="CSharpKernel"/>, with the notebook's folder as working directory.
/// The notebook's setup cell (the first code cell, marked <c>// pixmix: setup</c>) holds the user-facing
/// <c>#i</c>/<c>#r "nuget: ..."</c> lines. <see cref="RunAsync"/> replaces it with given source (the tests give
/// <c>#r</c> lines for the assemblies that package reference resolves to, taken from the build output, so no packing
/// and no network are needed); <see cref="RunFromPackagesAsync"/> runs it as written, through NuGet.
/// This file references no PixMix code: the notebook runner process compiles it too.
/// </summary>
internal static class NotebookRunner
{
    public const string SetupMarker = "// pixmix: setup";

    private static readonly KernelInfoCollection s_kernels = CreateKernelInfos();

    private static KernelInfoCollection CreateKernelInfos()
    {
        var infos = new KernelInfoCollection { new Microsoft.DotNet.Interactive.Documents.KernelInfo("csharp", "C#", ["cs", "C#", "c#"]) };
        infos.DefaultKernelName = "csharp";
        return infos;
    }

    /// <summary>Reads a .ipynb; returns its cells (language and source).</summary>
    public static IReadOnlyList<InteractiveDocumentElement> ReadCells(string path)
    {
        var document = Notebook.Parse(File.ReadAllText(path), s_kernels);
        return document.Elements.ToList();
    }

    /// <summary>The C# code cells of a notebook, in order.</summary>
    public static IReadOnlyList<string> CodeCells(IEnumerable<InteractiveDocumentElement> cells)
        => cells.Where(c => c.KernelName is "csharp").Select(c => c.Contents).ToList();

    /// <summary>
    /// Runs the code cells with the setup cell replaced by <paramref name="setupCell"/>; stops at the first failing
    /// cell (as a reader would). A cell that runs longer than <paramref name="cellTimeout"/> fails with a timeout error.
    /// </summary>
    /// <param name="notebookPath">The notebook's path (its folder becomes the working directory).</param>
    /// <param name="codeCells">The C# code cells, setup cell first.</param>
    /// <param name="cellTimeout">The longest a cell may run.</param>
    /// <param name="setupCell">The source that runs in place of the setup cell.</param>
    public static Task<IReadOnlyList<CellRun>> RunAsync(string notebookPath, IReadOnlyList<string> codeCells, TimeSpan cellTimeout, string setupCell)
        => RunCoreAsync(notebookPath, codeCells, cellTimeout, setupCell, restoresPackages: false);

    /// <summary>
    /// Runs the code cells with the setup cell as written, through NuGet, with <c>#i "nuget: &lt;folder&gt;"</c> put in
    /// front of it so that the packed packages in <paramref name="packageSource"/> are found; the kernel restores them
    /// (and their dependencies, from the configured NuGet sources) and references their assemblies. Stops at the first
    /// failing cell, like <see cref="RunAsync"/>.
    /// </summary>
    /// <param name="notebookPath">The notebook's path (its folder becomes the working directory).</param>
    /// <param name="codeCells">The C# code cells, setup cell first.</param>
    /// <param name="cellTimeout">The longest a cell may run.</param>
    /// <param name="packageSource">A folder of packed packages.</param>
    /// <param name="packageVersion">
    /// The version the packages were packed with, when it is not the one the setup cell names (a CI pack such as
    /// <c>1.0.0-ci</c>): the setup cell's <c>PixMix.*</c> references then ask for it (<see cref="WithPackageVersion"/>).
    /// </param>
    public static Task<IReadOnlyList<CellRun>> RunFromPackagesAsync(string notebookPath, IReadOnlyList<string> codeCells, TimeSpan cellTimeout,
        string packageSource, string? packageVersion = null)
    {
        if (!Directory.Exists(packageSource)) throw new DirectoryNotFoundException($"The package folder '{packageSource}' does not exist.");
        var setup = codeCells.Count > 0 ? codeCells[0] : "";
        if (!string.IsNullOrEmpty(packageVersion)) setup = WithPackageVersion(setup, packageVersion);
        var setupCell = codeCells.Count > 0 ? $"#i \"nuget: {Path.GetFullPath(packageSource)}\"\n" + setup : "";
        return RunCoreAsync(notebookPath, codeCells, cellTimeout, setupCell, restoresPackages: true);
    }

    /// <summary>
    /// The setup cell with the version of every <c>#r "nuget: PixMix.*, ..."</c> line replaced by
    /// <paramref name="version"/>; other lines (the LibTorch backend, comments) stay as they are.
    /// </summary>
    public static string WithPackageVersion(string setupCell, string version)
        => System.Text.RegularExpressions.Regex.Replace(setupCell,
            @"^(?<head>\s*#r\s+""nuget:\s*PixMix\.[A-Za-z0-9.]+\s*),\s*[^""]*""",
            m => $"{m.Groups["head"].Value}, {version}\"", System.Text.RegularExpressions.RegexOptions.Multiline);

    private static async Task<IReadOnlyList<CellRun>> RunCoreAsync(string notebookPath, IReadOnlyList<string> codeCells, TimeSpan cellTimeout,
        string setupCell, bool restoresPackages)
    {
        if (codeCells.Count == 0 || !codeCells[0].Contains(SetupMarker, StringComparison.Ordinal))
            throw new InvalidDataException($"'{notebookPath}': the first code cell must be the setup cell marked '{SetupMarker}'.");
        if (codeCells.Skip(1).Any(c => c.Contains(SetupMarker, StringComparison.Ordinal)))
            throw new InvalidDataException($"'{notebookPath}': only the first code cell may be marked '{SetupMarker}'.");

        var runs = new List<CellRun>();
        var previousDirectory = Directory.GetCurrentDirectory();
        var kernel = new CSharpKernel().UseKernelHelpers();
        if (restoresPackages)
        {
            // As the dotnet-interactive tool sets up its C# kernel: restored packages' assemblies become references.
            kernel.UseNugetDirective((k, resolved) =>
            {
                k.AddAssemblyReferences(resolved.SelectMany(r => r.AssemblyPaths));
                return Task.CompletedTask;
            }, forceRestore: false);
        }
        try
        {
            Directory.SetCurrentDirectory(Path.GetDirectoryName(Path.GetFullPath(notebookPath))!);
            for (int i = 0; i < codeCells.Count; i++)
            {
                var source = i > 0 ? codeCells[i] : setupCell;
                var run = await RunCellAsync(kernel, i, source, cellTimeout);
                runs.Add(run);
                if (run.Failed) break;
            }
        }
        finally
        {
            Directory.SetCurrentDirectory(previousDirectory);
            kernel.Dispose();
        }
        return runs;
    }

    private static async Task<CellRun> RunCellAsync(Kernel kernel, int index, string source, TimeSpan timeout)
    {
        var displayed = new List<FormattedValue>();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var errors = new List<string>();
        var warnings = new List<string>();
        KernelCommandResult result;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            result = await kernel.SendAsync(new SubmitCode(source)).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            errors.Add($"the cell did not finish within {timeout.TotalSeconds:0} s");
            return new CellRun(index, source, displayed, "", "", errors, warnings, clock.Elapsed);
        }
        var elapsed = clock.Elapsed;
        foreach (var e in result.Events)
        {
            switch (e)
            {
                case CommandFailed failed:
                    errors.Add(failed.Exception?.ToString() ?? failed.Message);
                    break;
                case ErrorProduced error:
                    errors.Add(error.Message);
                    break;
                case DiagnosticsProduced diagnostics:
                    foreach (var d in diagnostics.Diagnostics)
                    {
                        var text = $"{d.Code}: {d.Message} ({d.LinePositionSpan})";
                        if (d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error) errors.Add(text);
                        // Assembly-version unification notes (CS1701/CS1702) come from the kernel's own references.
                        else if (d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning && d.Code is not ("CS1701" or "CS1702")) warnings.Add(text);
                    }
                    break;
                case StandardOutputValueProduced output:
                    foreach (var v in output.FormattedValues) if (v.MimeType == PlainTextFormatter.MimeType) stdout.Append(v.Value);
                    break;
                case StandardErrorValueProduced output:
                    foreach (var v in output.FormattedValues) if (v.MimeType == PlainTextFormatter.MimeType) stderr.Append(v.Value);
                    break;
                case DisplayEvent display:
                    displayed.AddRange(display.FormattedValues);
                    break;
            }
        }
        return new CellRun(index, source, displayed, stdout.ToString(), stderr.ToString(), errors.Distinct().ToList(), warnings.Distinct().ToList(), elapsed);
    }
}
