namespace PixMix.Imaging.Corruptions;

/// <summary>
/// Writes the corrupted version of <paramref name="source"/> into <paramref name="destination"/> (same shape).
/// Called concurrently from several threads; it must depend only on its arguments (derive any randomness from
/// <paramref name="corruption"/>, <paramref name="severity"/> and <paramref name="imageIndex"/>) for the output to be
/// deterministic. <paramref name="source"/> is a private copy that may be modified.
/// </summary>
/// <param name="corruption">The corruption's name, as given to the writer.</param>
/// <param name="severity">1..5.</param>
/// <param name="source">The clean image.</param>
/// <param name="destination">Receives the corrupted image.</param>
/// <param name="imageIndex">Index of the image in the clean source (0..N-1).</param>
public delegate void CorruptFn(string corruption, int severity, ImageU8 source, ImageU8 destination, long imageIndex);
