namespace PixMix.Imaging.Core;

/// <summary>
/// Bad input rather than a bug: a data file, picture, model or checkpoint that is not what the operation expects
/// (damaged, of another network or run, with a mismatched class count, missing from a folder's layout). The message
/// names the file and says what was found and what was expected; <see cref="Path"/> holds the file when there is one.
/// Command-line front ends report it as bad input (the pixmix CLI exits with code 2). It is not an
/// <see cref="InvalidDataException"/> (a sealed type), so catch both where both can occur.
/// </summary>
public sealed class InvalidInputDataException : Exception
{
    /// <summary>Creates the exception; <paramref name="path"/> is the offending file or folder, when known.</summary>
    public InvalidInputDataException(string message, string? path = null, Exception? innerException = null)
        : base(message, innerException) => Path = path;

    /// <summary>The offending file or folder, or null.</summary>
    public string? Path { get; }
}
