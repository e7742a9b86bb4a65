namespace PixMix.Cli.Demo;

/// <summary>The resolved settings of a demo run (see <see cref="DemoOptions"/> for each one's meaning and default).</summary>
public sealed record DemoSettings(int Seeds, int TrainImages, int TestImages, int CorruptionImages, int Epochs, double LearningRate,
    int BatchSize, PixMixParameters PixMix, long Seed, int TorchThreads, double Dropout, int PerturbationSequences, int AdversarialImages)
{
    /// <summary>Images of each synthetic out-of-distribution set: a fifth of <see cref="TestImages"/>, as in the Outlier Exposure evaluation.</summary>
    public int OodImages => Math.Max(1, TestImages / 5);
}
