namespace PixMix.MLNet.Tests.Training;

/// <summary>A test that needs Linux (symbolic links, <c>/proc</c>, ELF shared libraries); skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Linux only";
    }
}
