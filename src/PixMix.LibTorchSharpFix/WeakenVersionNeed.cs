using System;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace PixMix.LibTorchSharpFix;

/// <summary>
/// The MSBuild task of <c>PixMix.LibTorchSharpFix.targets</c>: marks the need of <see cref="VersionName"/> weak in
/// each of <see cref="Libraries"/>, in place, unless the system's <c>libstdc++.so.6</c> defines the version. A library
/// that is not a little-endian 64-bit ELF file is left as it is, with a warning; one already weak, or without the need,
/// is left as it is.
/// </summary>
public sealed class WeakenVersionNeed : Task
{
    private static readonly string[] s_systemLibraryFolders =
        ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib"];

    /// <summary>The shared libraries to patch (the copies in a build or publish output).</summary>
    [Required]
    public ITaskItem[] Libraries { get; set; } = [];

    /// <summary>The symbol version whose need is marked weak, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
    [Required]
    public string VersionName { get; set; } = "";

    /// <summary>
    /// The <c>libstdc++.so.6</c> to ask whether it defines <see cref="VersionName"/>; by default the first in the
    /// usual system folders. With none found, the libraries are patched.
    /// </summary>
    public string? SystemLibStdCxx { get; set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        var libStdCxx = string.IsNullOrEmpty(SystemLibStdCxx) ? FindSystemLibStdCxx() : SystemLibStdCxx;
        if (libStdCxx is not null && Defines(libStdCxx))
        {
            Log.LogMessage(MessageImportance.Low, $"PixMix: {libStdCxx} defines {VersionName}; libLibTorchSharp.so left as it is.");
            return true;
        }
        foreach (var item in Libraries)
        {
            string file = item.ItemSpec;
            try
            {
                switch (ElfSymbolVersions.MarkVersionNeedWeak(file, VersionName).Kind)
                {
                    case VersionNeedKind.NotApplicable:
                        Log.LogWarning($"PixMix: {file} is not a little-endian 64-bit ELF file; not patched.");
                        break;
                    case VersionNeedKind.NotNeeded:
                        Log.LogMessage(MessageImportance.Low, $"PixMix: {file} does not need {VersionName}.");
                        break;
                    case VersionNeedKind.Strong:
                        Log.LogMessage(MessageImportance.High, $"PixMix: marked the {VersionName} need of {file} weak (system libstdc++ lacks it).");
                        break;
                }
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                Log.LogError($"PixMix: could not mark the {VersionName} need of {file} weak: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    private bool Defines(string libStdCxx)
    {
        try
        {
            return ElfSymbolVersions.DefinesVersion(libStdCxx, VersionName);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Log.LogMessage(MessageImportance.Low, $"PixMix: could not read the version definitions of {libStdCxx} ({e.Message}); patching.");
            return false;
        }
    }

    private static string? FindSystemLibStdCxx()
    {
        foreach (var folder in s_systemLibraryFolders)
        {
            var path = Path.Combine(folder, "libstdc++.so.6");
            if (File.Exists(path)) return path;
        }
        return null;
    }
}
