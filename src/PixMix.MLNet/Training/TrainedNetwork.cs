namespace PixMix.MLNet.Training;

/// <summary>The network being trained, its optimiser and the run's random generator (weights and dropout).</summary>
internal sealed record TrainedNetwork(nn.Module<Tensor, Tensor> Network, FlatSgd Optimizer, Generator Generator);
