namespace PixMix.MLNet.Evaluation;

/// <summary>
/// One cell of a corruption benchmark: the test images under one corruption at one severity, with their labels
/// (for example the 10,000-image block of severity <c>s</c> of a CIFAR-10-C <c>&lt;name&gt;.npy</c> file, or images
/// corrupted on the fly).
/// </summary>
/// <param name="Corruption">The corruption's benchmark name (for example <c>gaussian_noise</c>).</param>
/// <param name="Severity">The severity, 1 to 5 in the benchmarks.</param>
/// <param name="Images">The corrupted images and their labels.</param>
public sealed record CorruptedSubset(string Corruption, int Severity, IImageSource Images);
