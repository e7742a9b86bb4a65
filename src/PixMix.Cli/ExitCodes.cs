namespace PixMix.Cli;

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
