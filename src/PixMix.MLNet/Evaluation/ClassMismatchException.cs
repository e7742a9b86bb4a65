namespace PixMix.MLNet.Evaluation;

/// <summary>The classes of evaluated data are not the model's: other names or another count.</summary>
public sealed class ClassMismatchException(string message) : ArgumentException(message);
