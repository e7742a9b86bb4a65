namespace PixMix.MLNet.Tests.Training;

/// <summary>Settings shared by the TorchSharp tests of this folder.</summary>
internal static class TorchTestSettings
{
    /// <summary>
    /// One torch CPU thread: the tiny networks of the tests gain nothing from more, and on a busy machine torch's
    /// spinning worker threads make each step several times slower.
    /// </summary>
    internal static void UseOneThread() => TorchSharp.torch.set_num_threads(1);
}
