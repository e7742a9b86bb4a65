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
