namespace PixMix.MLNet.Evaluation;

/// <summary>An out-of-distribution image set for anomaly detection (labels, if any, are ignored).</summary>
/// <param name="Name">The name shown in reports (for example <c>gaussian</c>, <c>svhn</c>).</param>
/// <param name="Images">The images, the same size and channel count as the in-distribution test set.</param>
public sealed record OutOfDistributionSet(string Name, IImageSource Images);
