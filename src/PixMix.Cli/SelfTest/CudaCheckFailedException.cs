namespace PixMix.Cli.SelfTest;

/// <summary>A CUDA check found the behaviour wrong.</summary>
internal sealed class CudaCheckFailedException(string message) : Exception(message);
