using System.Text.Json;
using Spectre.Console;

namespace PixMix.Cli.Commands;

/// <summary>Writing results as text or JSON, and progress bars.</summary>
internal static class CliOutput
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = false,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    /// <summary>
    /// One-line JSON with snake_case names and unescaped text, for the lines the GPU check collects: the same field names
    /// as the PyTorch reference script prints (bench train --json, selftest cuda).
    /// </summary>
    public static readonly JsonSerializerOptions SnakeCaseJsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

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

    /// <summary>
    /// Runs <paramref name="work"/> with one progress bar per stage (stage name, fraction done in [0, 1]) unless
    /// <paramref name="quiet"/> or not on a terminal.
    /// </summary>
    public static void RunStaged(bool quiet, Action<Action<string, double>?> work)
    {
        if (quiet || Console.IsErrorRedirected || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            work(null);
            return;
        }
        AnsiConsole.Progress().AutoClear(true).Start(ctx =>
        {
            var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
            work((stage, fraction) =>
            {
                lock (tasks)
                {
                    if (!tasks.TryGetValue(stage, out var task)) tasks[stage] = task = ctx.AddTask(stage, maxValue: 1);
                    task.Value = Math.Clamp(fraction, 0, 1);
                }
            });
            foreach (var task in tasks.Values) task.Value = task.MaxValue;
        });
    }
}
