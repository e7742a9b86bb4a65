using System.CommandLine;

namespace PixMix.Cli.Commands;

/// <summary>Option factories shared by commands, with range validation that names the option.</summary>
internal static class CliOptions
{
    public static Option<int> Int(string name, string description, int defaultValue, int min, int max)
    {
        var o = new Option<int>(name) { Description = $"{description} ({min}..{max}, default {defaultValue})", DefaultValueFactory = _ => defaultValue };
        o.Validators.Add(r =>
        {
            int v = r.GetValueOrDefault<int>();
            if (v < min || v > max) r.AddError($"Option '{name}' must be in {min}..{max}, got {v}.");
        });
        return o;
    }

    public static Option<double> Double(string name, string description, double defaultValue, double min, double max)
    {
        var o = new Option<double>(name) { Description = $"{description} ({min}..{max}, default {defaultValue})", DefaultValueFactory = _ => defaultValue };
        o.Validators.Add(r =>
        {
            double v = r.GetValueOrDefault<double>();
            if (!(v >= min && v <= max)) r.AddError($"Option '{name}' must be in {min}..{max}, got {v}.");
        });
        return o;
    }

    public static Option<long> Seed() => new("--seed") { Description = "Random seed (default 0).", DefaultValueFactory = _ => 0L };

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object with the results instead of text." };

    public static Option<string> RequiredPath(string name, string description)
        => new(name) { Description = description, Required = true };
}
