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
/// packed packages (and their dependencies, from the configured NuGet sources) and the kernel loads them from the
/// NuGet cache. Needs packing and NuGet access, so it runs only on request.
/// </summary>
public class PackagedNotebookTests
{
    public const string PackagesVariable = "PIXMIX_NOTEBOOK_PACKAGES";

    private static async Task RunAsync(string fileName)
    {
        var path = NotebookTests.NotebookPath(fileName);
        var code = NotebookRunner.CodeCells(NotebookRunner.ReadCells(path));
        var runs = await NotebookRunner.RunAsync(path, code, TimeSpan.FromMinutes(5), Environment.GetEnvironmentVariable(PackagesVariable));
        var failed = runs.FirstOrDefault(r => r.Failed);
        Assert.True(failed is null, $"{fileName}: {failed?.Describe()}");
        Assert.Equal(code.Count, runs.Count);
    }

    [PackagedNotebookFact]
    public Task PixMixSamplesAndFractalsNotebookRunsFromThePackage() => RunAsync("01-pixmix-samples-and-fractals.ipynb");

    [PackagedNotebookFact]
    public Task TrainWithPixMixNotebookRunsFromThePackage() => RunAsync("02-train-with-pixmix.ipynb");

    [PackagedNotebookFact]
    public Task EvaluateOnCifarCNotebookRunsFromThePackage() => RunAsync("03-evaluate-on-cifar-c.ipynb");
}
