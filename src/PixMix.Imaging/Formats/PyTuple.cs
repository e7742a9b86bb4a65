namespace PixMix.Imaging.Formats;

/// <summary>A Python tuple parsed by <see cref="PyLiteralParser"/>.</summary>
internal sealed class PyTuple : List<object?>;
