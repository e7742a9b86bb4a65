using PixMix.Cli.Commands;

namespace PixMix.Cli;

/// <summary>The pixmix command line. Exit codes: 0 success, 2 bad input, 1 internal error.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line with the given writers (tests call this in process).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("pixmix: PixMix data augmentation, robustness training and safety evaluation for .NET.");
        foreach (var command in CommandCatalog.All(stdout, stderr)) root.Subcommands.Add(command);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            stderr.WriteLine($"pixmix: {string.Join("; ", parse.Errors.Select(Describe))}");
            return ExitCodes.BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ExitCodes.IsBadInput(ex))
        {
            stderr.WriteLine($"pixmix: {ExitCodes.OneLine(ex)}");
            return ExitCodes.BadInput;
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"pixmix: internal error: {ex.GetType().Name}: {ExitCodes.OneLine(ex)}");
            if (Environment.GetEnvironmentVariable("PIXMIX_DEBUG") == "1") stderr.WriteLine(ex);
            return ExitCodes.InternalError;
        }
    }

    /// <summary>A parse error on one line, prefixed with the option it concerns when the message does not name it.</summary>
    private static string Describe(System.CommandLine.Parsing.ParseError error)
    {
        string message = string.Join(' ', error.Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        message = System.Text.RegularExpressions.Regex.Replace(message, @"as expected type '(?:System\.Nullable`1\[)?System\.(\w+)\]?'",
            m => "expected " + m.Groups[1].Value switch
            {
                "Int32" => "a whole number from -2147483648 to 2147483647",
                "Int64" => "a whole number from -9223372036854775808 to 9223372036854775807",
                "Double" or "Single" => "a number",
                var other => $"a {other} value",
            });
        for (var symbol = error.SymbolResult; symbol is not null; symbol = symbol.Parent)
            if (symbol is System.CommandLine.Parsing.OptionResult option)
                return message.Contains(option.Option.Name, StringComparison.Ordinal) ? message : $"{option.Option.Name}: {message}";
        return message;
    }
}

/// <summary>Exit codes of the CLI.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>An internal error (a bug or an environment failure).</summary>
    public const int InternalError = 1;
    /// <summary>Bad input: a file, option or value that is not what was expected.</summary>
    public const int BadInput = 2;

    /// <summary>Whether an exception reports bad input rather than a bug.</summary>
    public static bool IsBadInput(Exception ex) => ex is AggregateException { InnerExceptions.Count: 1 } a ? IsBadInput(a.InnerExceptions[0]) : ex is ArgumentException or InvalidDataException or PixMix.Imaging.Core.InvalidInputDataException or FileNotFoundException
        or DirectoryNotFoundException or UsageException or FormatException or NotSupportedException
        // A folder the user named that cannot be written (read-only, not permitted) or a path longer than the system takes.
        or UnauthorizedAccessException or PathTooLongException;

    /// <summary>The exception's message on one line, without .NET's "(Parameter 'x')" and "Actual value was" suffixes.</summary>
    public static string OneLine(Exception ex)
    {
        if (ex is AggregateException { InnerExceptions.Count: 1 } a) return OneLine(a.InnerExceptions[0]);
        string message = ex.Message;
        if (ex is ArgumentOutOfRangeException range && range.ActualValue is not null)
            message = message.Replace($"Actual value was {range.ActualValue}.", "", StringComparison.Ordinal);
        if (ex is ArgumentException { ParamName: { } name })
            message = message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal);
        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}

/// <summary>A usage error raised by a command (bad combination of options, missing input).</summary>
public sealed class UsageException(string message) : Exception(message);
