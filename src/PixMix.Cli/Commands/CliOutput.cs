using System.Text.Json;
using Spectre.Console;

namespace PixMix.Cli.Commands;

/// <summary>Writing results as text or JSON, and progress bars.</summary>
internal static class CliOutput
{
    public static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = false };

    public static void Result(TextWriter stdout, bool json, object value, string text)
    {
        stdout.WriteLine(json ? JsonSerializer.Serialize(value, JsonOptions) : text);
    }
}

/// <summary>Progress bars on standard error's terminal (Spectre.Console); silent when output is redirected.</summary>
internal static class Progress
{
    public static void Run(string title, int total, Action<Action<int>?> work) => Run(title, total, quiet: false, work);

    /// <summary>Runs <paramref name="work"/> with a progress bar unless <paramref name="quiet"/> (JSON output) or not on a terminal.</summary>
    public static void Run(string title, int total, bool quiet, Action<Action<int>?> work)
    {
        if (quiet || Console.IsErrorRedirected || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            work(null);
            return;
        }
        AnsiConsole.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask(title, maxValue: total);
            work(done => task.Value = done);
        });
    }
}
