using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace PixMix.Notebooks.Tests;

/// <summary>What a notebook runner process did: its exit code (null when it was stopped on time-out) and its output.</summary>
internal sealed record NotebookProcessResult(int? ExitCode, string StandardOutput, string StandardError)
{
    public string Describe()
        => $"exit code {(ExitCode is { } code ? code.ToString() : "none (stopped on time-out)")}\nstdout:\n{StandardOutput.TrimEnd()}\nstderr:\n{StandardError.TrimEnd()}";
}

/// <summary>
/// Starts the notebook runner (tests/PixMix.Notebooks.Runner) as <c>dotnet &lt;runner.dll&gt; ...</c>: a process that
/// references neither PixMix nor TorchSharp and runs from the runner's own output folder, so a notebook gets both, and
/// their native libraries, from the NuGet cache only, as in a user's notebook kernel. The runner's path is written into
/// this assembly at build time (the project reference builds it first; see the project file).
/// </summary>
internal static class NotebookProcess
{
    public const string RunnerMetadataKey = "NotebookRunner";

    /// <summary>The runner's built assembly.</summary>
    public static string RunnerPath { get; } = FindRunner();

    private static string FindRunner()
    {
        var path = typeof(NotebookProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == RunnerMetadataKey)?.Value;
        if (string.IsNullOrEmpty(path)) throw new InvalidOperationException($"This assembly has no [AssemblyMetadata(\"{RunnerMetadataKey}\", ...)]; the project file adds it.");
        if (!File.Exists(path)) throw new FileNotFoundException($"The notebook runner '{path}' is missing; build tests/PixMix.Notebooks.Runner.", path);
        return path;
    }

    /// <summary>The <c>dotnet</c> host that runs these tests (the CLI names it in DOTNET_HOST_PATH), else the one on the PATH.</summary>
    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }

    /// <summary>
    /// Runs the runner with <paramref name="arguments"/> and waits for it at most <paramref name="timeout"/>, after
    /// which it is stopped with its child processes. <paramref name="environment"/> sets (or, with null, removes)
    /// variables of the runner's otherwise inherited environment.
    /// </summary>
    public static async Task<NotebookProcessResult> RunAsync(IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(RunnerPath)!,
        };
        start.ArgumentList.Add(RunnerPath);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        int? exitCode;
        using (var cancel = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cancel.Token);
                exitCode = process.ExitCode;
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                exitCode = null;
            }
        }
        // WaitForExitAsync returns once the output streams are read to their end.
        lock (stdout) lock (stderr) return new NotebookProcessResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}
