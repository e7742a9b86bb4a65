using Spectre.Console;

namespace PixMix.Cli.Commands;

/// <summary>
/// Progress of a run on standard error, so standard output holds only the result: a live bar (Spectre.Console) per
/// stage when standard error is a terminal, and otherwise one line per milestone (an epoch, a corruption, a scored set)
/// to the given writer, so a piped or logged run is never silent.
/// </summary>
internal sealed class Progress
{
    private readonly object _gate = new();
    private readonly TextWriter? _lines;
    private readonly IAnsiConsole? _console;
    private readonly ProgressContext? _context;
    private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

    private Progress(TextWriter lines) => _lines = lines;

    private Progress(IAnsiConsole console, ProgressContext context)
    {
        _console = console; _context = context;
    }

    /// <summary>Whether this display draws live bars (a terminal) rather than writing lines.</summary>
    public bool IsLive => _context is not null;

    /// <summary>Runs <paramref name="work"/> with a display on <paramref name="stderr"/>.</summary>
    public static void Run(TextWriter stderr, Action<Progress> work)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        if (Terminal(stderr) is not { } console)
        {
            work(new Progress(stderr));
            return;
        }
        console.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var display = new Progress(console, context);
                work(display);
                display.Finish();
            });
    }

    /// <summary>A live update of a stage (its bar's text and fraction done); nothing when writing lines.</summary>
    public void Update(string stage, double fraction, string text)
    {
        if (_context is null) return;
        lock (_gate)
        {
            if (!_tasks.TryGetValue(stage, out var task)) _tasks[stage] = task = _context.AddTask(Markup.Escape(stage), maxValue: 1);
            task.Description = Markup.Escape($"{stage}: {text}");
            task.Value = Math.Clamp(double.IsFinite(fraction) ? fraction : 0, 0, 1);
        }
    }

    /// <summary>A milestone (an epoch, a corruption, a set): a live update on a terminal, else one line.</summary>
    public void Milestone(string stage, double fraction, string text)
    {
        if (_context is not null) { Update(stage, fraction, text); return; }
        lock (_gate) _lines!.WriteLine($"{stage}: {text}");
    }

    /// <summary>A line shown either way (above the bars on a terminal).</summary>
    public void Notice(string text)
    {
        lock (_gate)
        {
            if (_console is not null) _console.WriteLine(text);
            else _lines!.WriteLine(text);
        }
    }

    private void Finish()
    {
        lock (_gate) foreach (var task in _tasks.Values) task.Value = task.MaxValue;
    }

    /// <summary>The process's standard error as an interactive Spectre console, or null when it is not a terminal (or a writer of its own).</summary>
    private static IAnsiConsole? Terminal(TextWriter stderr)
    {
        if (!ReferenceEquals(stderr, Console.Error) || Console.IsErrorRedirected) return null;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Profile.Capabilities.Interactive ? console : null;
    }

    /// <summary>A single counted bar on a terminal's standard error (fractals, bench); silent when <paramref name="quiet"/> or not on a terminal.</summary>
    public static void Run(string title, int total, bool quiet, Action<Action<int>?> work)
    {
        var console = quiet ? null : Terminal(Console.Error);
        if (console is null)
        {
            work(null);
            return;
        }
        console.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask(Markup.Escape(title), maxValue: total);
            work(done => task.Value = done);
        });
    }
}
