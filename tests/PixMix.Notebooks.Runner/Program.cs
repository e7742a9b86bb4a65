using System.Globalization;
using PixMix.Notebooks.Tests;

namespace PixMix.Notebooks.Runner;

/// <summary>
/// <c>dotnet PixMix.Notebooks.Runner.dll &lt;notebook.ipynb&gt; &lt;packages-folder&gt; &lt;cell-timeout-seconds&gt; [package-version]</c>:
/// runs the notebook's code cells top to bottom, its setup cell as written (<c>#r "nuget: PixMix.MLNet, ..."</c>) with
/// the packages folder as an added NuGet source (and, when package-version is given, that version asked of its
/// <c>PixMix.*</c> packages), and prints a <see cref="NotebookRunReport"/> as one line of JSON.
/// Exit code 0 when every cell ran and passed, 1 when a cell failed or the run could not complete, 2 for bad arguments.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: PixMix.Notebooks.Runner <notebook.ipynb> <packages-folder> <cell-timeout-seconds> [package-version]";

    private static async Task<int> Main(string[] args)
    {
        if (args.Length is not (3 or 4))
            return BadArguments($"expected 3 or 4 arguments, got {args.Length}.");
        var notebook = Path.GetFullPath(args[0]);
        var packages = Path.GetFullPath(args[1]);
        if (!File.Exists(notebook))
            return BadArguments($"notebook: the file '{notebook}' does not exist.");
        if (!Directory.Exists(packages))
            return BadArguments($"packages-folder: the folder '{packages}' does not exist.");
        if (!double.TryParse(args[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0))
            return BadArguments($"cell-timeout-seconds: expected a positive number of seconds, got '{args[2]}'.");
        var version = args.Length == 4 ? args[3] : null;
        if (version is not null && (version.Length == 0 || version.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+'))))
            return BadArguments($"package-version: expected a NuGet version such as 1.0.0-ci, got '{version}'.");

        // The kernel redirects Console.Out while a cell runs; the report goes to the process's own standard output.
        var stdout = Console.Out;
        IReadOnlyList<string> code = [];
        NotebookRunReport report;
        try
        {
            code = NotebookRunner.CodeCells(NotebookRunner.ReadCells(notebook));
            var runs = await NotebookRunner.RunFromPackagesAsync(notebook, code, TimeSpan.FromSeconds(seconds), packages, version);
            report = NotebookRunReport.From(notebook, code.Count, runs);
        }
        catch (Exception e)
        {
            report = new NotebookRunReport(notebook, code.Count, 0, [], $"the notebook could not be run: {e}");
        }
        stdout.WriteLine(report.ToJson());
        stdout.Flush();
        return report.Passed ? 0 : 1;
    }

    private static int BadArguments(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
