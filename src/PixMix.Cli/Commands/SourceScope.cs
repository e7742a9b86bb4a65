namespace PixMix.Cli.Commands;

/// <summary>Holds an opened image source and disposes it (when it holds files) at the end of a command.</summary>
internal sealed class SourceScope(IImageSource source) : IDisposable
{
    public IImageSource Source { get; } = source;

    public void Dispose()
    {
        (Source as IDisposable)?.Dispose();
        if (Source is PaddedRgbImageSource padded) (padded.Inner as IDisposable)?.Dispose();
    }
}
