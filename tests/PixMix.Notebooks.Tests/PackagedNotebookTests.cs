namespace PixMix.Notebooks.Tests;

/// <summary>A test that runs only when <see cref="PackagedNotebookTests.PackagesVariable"/> names a folder of packed packages.</summary>
public sealed class PackagedNotebookFactAttribute : FactAttribute
{
    public PackagedNotebookFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PackagedNotebookTests.PackagesVariable)))
            Skip = $"set {PackagedNotebookTests.PackagesVariable} to a folder made by 'dotnet pack -c Release -o <folder>' to run the notebooks through NuGet";
    }
}

/// <summary>
/// The notebooks exactly as a user runs them, setup cell included: <c>#r "nuget: PixMix.MLNet, ..."</c> restores the
/// packed packages (and their dependencies, from the configured NuGet sources) and the kernel loads them, managed and
/// native libraries alike, from the NuGet cache. Each notebook runs in a process of its own that references neither
/// PixMix nor TorchSharp (<see cref="NotebookProcess"/>), so nothing comes from this test's output folder. Needs packing
/// and NuGet access, so it runs only on request.
/// </summary>
public class PackagedNotebookTests
{
    public const string PackagesVariable = "PIXMIX_NOTEBOOK_PACKAGES";

    /// <summary>Optional: the version the packages were packed with, when not the setup cells' (.ci/run packs 1.0.0-ci).</summary>
    public const string PackageVersionVariable = "PIXMIX_NOTEBOOK_PACKAGE_VERSION";

    private static readonly TimeSpan CellTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(15);

    private static async Task RunAsync(string fileName)
    {
        var path = NotebookTests.NotebookPath(fileName);
        var codeCells = NotebookRunner.CodeCells(NotebookRunner.ReadCells(path)).Count;
        var packages = Path.GetFullPath(Environment.GetEnvironmentVariable(PackagesVariable)!);
        List<string> arguments = [path, packages, CellTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (Environment.GetEnvironmentVariable(PackageVersionVariable) is { Length: > 0 } version) arguments.Add(version);
        var result = await NotebookProcess.RunAsync(arguments, ProcessTimeout);
        var report = NotebookRunReport.FromOutput(result.StandardOutput);
        Assert.True(report is not null, $"{fileName}: the runner printed no report; {result.Describe()}");
        Assert.True(report.Failure is null, $"{fileName}: {report.Failure}\nrunner stderr:\n{result.StandardError.TrimEnd()}");
        Assert.Equal(codeCells, report.CodeCells);
        Assert.Equal(codeCells, report.CellsRun);
        Assert.Equal(0, result.ExitCode);
    }

    [PackagedNotebookFact]
    public Task PixMixSamplesAndFractalsNotebookRunsFromThePackage() => RunAsync("01-pixmix-samples-and-fractals.ipynb");

    [PackagedNotebookFact]
    public Task TrainWithPixMixNotebookRunsFromThePackage() => RunAsync("02-train-with-pixmix.ipynb");

    [PackagedNotebookFact]
    public Task EvaluateOnCifarCNotebookRunsFromThePackage() => RunAsync("03-evaluate-on-cifar-c.ipynb");
}
