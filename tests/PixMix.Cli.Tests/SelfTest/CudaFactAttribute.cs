using PixMix.Cli.SelfTest;

namespace PixMix.Cli.Tests.SelfTest;

/// <summary>
/// A test that needs a CUDA device: skipped, with the reason, where <c>torch.cuda.is_available()</c> is false (every
/// machine without an NVIDIA GPU, and every build with TorchBackend=cpu). On a GPU machine without the .NET SDK the same
/// measurements run through <c>pixmix selftest cuda</c> (scripts/gpu-check.sh).
/// </summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        string? reason;
        try { reason = CudaChecks.SkipReason(); }
        catch (Exception e) { reason = $"TorchSharp could not be asked whether CUDA is available: {e.GetType().Name}: {e.Message}"; }
        if (reason is not null) Skip = reason;
    }
}
