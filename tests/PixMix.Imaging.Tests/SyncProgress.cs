namespace PixMix.Imaging.Tests;

/// <summary>Records progress reports synchronously (Progress&lt;T&gt; posts them asynchronously).</summary>
internal sealed class SyncProgress<T> : IProgress<T>
{
    public List<T> Reports { get; } = [];
    public void Report(T value) { lock (Reports) Reports.Add(value); }
}
