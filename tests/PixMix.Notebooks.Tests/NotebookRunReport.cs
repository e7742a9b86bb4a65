using System.Text.Json;

namespace PixMix.Notebooks.Tests;

/// <summary>
/// What a notebook run in its own process did, as the notebook runner prints it on one line of standard output: the
/// number of code cells, how many ran, how long each took and, if a cell failed, its <see cref="CellRun.Describe"/>.
/// </summary>
internal sealed record NotebookRunReport(string Notebook, int CodeCells, int CellsRun, IReadOnlyList<double> CellSeconds, string? Failure)
{
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>True when every code cell ran and none failed.</summary>
    public bool Passed => Failure is null && CellsRun == CodeCells;

    /// <summary>The report of a finished run.</summary>
    public static NotebookRunReport From(string notebook, int codeCells, IReadOnlyList<CellRun> runs)
        => new(notebook, codeCells, runs.Count, runs.Select(r => Math.Round(r.Elapsed.TotalSeconds, 3)).ToList(),
            runs.FirstOrDefault(r => r.Failed)?.Describe());

    /// <summary>The report as one line of JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>
    /// Reads the report from a runner's standard output: its last line that holds a JSON object (the notebook's own
    /// output goes to the kernel, not to the process, but a library may still write to the console).
    /// </summary>
    public static NotebookRunReport? FromOutput(string standardOutput)
    {
        foreach (var line in standardOutput.Split('\n').Select(l => l.Trim()).Reverse())
        {
            if (!line.StartsWith('{') || !line.EndsWith('}')) continue;
            try
            {
                var report = JsonSerializer.Deserialize<NotebookRunReport>(line, s_json);
                if (report is { Notebook: not null, CellSeconds: not null }) return report;
            }
            catch (JsonException)
            {
            }
        }
        return null;
    }
}
