namespace PixMix.Imaging.Corruptions;

/// <summary>Progress of <see cref="CorruptedSetWriter"/>: images written so far out of the total.</summary>
/// <param name="Corruption">The corruption being written.</param>
/// <param name="Severity">The severity being written (1..5).</param>
/// <param name="ImagesDone">Corrupted images written so far, over all corruptions.</param>
/// <param name="ImagesTotal">Corrupted images to write in all (corruptions x 5 x N).</param>
public readonly record struct CorruptedSetProgress(string Corruption, int Severity, long ImagesDone, long ImagesTotal);
