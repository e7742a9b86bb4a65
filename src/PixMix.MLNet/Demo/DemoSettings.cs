using PixMix.Imaging.Mixing;

namespace PixMix.MLNet.Demo;

/// <summary>The resolved settings of a demo run (see <see cref="DemoOptions"/> for each one's meaning and default).</summary>
public sealed record DemoSettings(int Seeds, int TrainImages, int TestImages, int CorruptionImages, int Epochs, double LearningRate,
    int BatchSize, PixMixParameters PixMix, long Seed, int TorchThreads);
