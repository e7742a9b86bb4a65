using System.CommandLine;
using PixMix.Imaging.Corruptions;

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

    public static Option<string> Data(string name, string description, string? defaultValue)
    {
        var o = new Option<string>(name) { Description = $"{description}: fashion-mnist (shipped), cifar10:<folder>, cifar100:<folder> or folder:<folder> (root/<class>/<image>, or train/ and test/ trees){(defaultValue is null ? "" : $" (default {defaultValue})")}." };
        if (defaultValue is null) o.Required = true;
        else o.DefaultValueFactory = _ => defaultValue;
        return o;
    }

    public static Option<string> Split()
    {
        var o = new Option<string>("--split") { Description = "The split to read: train or test (default test).", DefaultValueFactory = _ => "test" };
        o.AcceptOnlyFromAmong("train", "test");
        return o;
    }

    public static Option<int?> Limit(string name = "--limit", string description = "Use only the first N images")
    {
        var o = new Option<int?>(name) { Description = $"{description} (1..2147483647; default all)." };
        o.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<int?>();
            if (v is < 1) r.AddError($"Option '{name}' must be at least 1, got {v}.");
        });
        return o;
    }

    public static Option<string> CorruptionParameters()
    {
        var o = new Option<string>("--parameters") { Description = "Corruption parameter table: cifar (tuned for 32 px), imagenet (224 px) or auto (cifar up to 64 px) (default auto).", DefaultValueFactory = _ => "auto" };
        o.AcceptOnlyFromAmong("cifar", "imagenet", "auto");
        return o;
    }

    public static CorruptionParameterSet? ParseCorruptionParameters(string value) => value switch
    {
        "cifar" => CorruptionParameterSet.Cifar,
        "imagenet" => CorruptionParameterSet.ImageNet,
        _ => null,
    };

    public static IReadOnlyList<CorruptionKind> ParseCorruptions(string value)
    {
        try { return CorruptionSets.ParseList(value); }
        catch (ArgumentException e) { throw new UsageException($"--corruptions: {ExitCodes.OneLine(e)}"); }
    }

    public static IReadOnlyList<int> ParseSeverities(string value)
    {
        try { return CorruptionSets.ParseSeverities(value); }
        catch (ArgumentException e) { throw new UsageException($"--severities: {ExitCodes.OneLine(e)}"); }
    }

    /// <summary>An existing file named by an option; otherwise a usage error naming the option.</summary>
    public static string ExistingFile(string option, string path)
    {
        if (!File.Exists(path)) throw new UsageException($"{option} '{path}' does not exist{(Directory.Exists(path) ? " as a file (it is a folder)" : "")}.");
        return path;
    }

    /// <summary>An existing folder named by an option; otherwise a usage error naming the option.</summary>
    public static string ExistingFolder(string option, string path)
    {
        if (!Directory.Exists(path)) throw new UsageException($"{option} '{path}' is not an existing folder.");
        return path;
    }
}
