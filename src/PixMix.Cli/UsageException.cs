namespace PixMix.Cli;

/// <summary>A usage error raised by a command (bad combination of options, missing input).</summary>
public sealed class UsageException(string message) : Exception(message);
