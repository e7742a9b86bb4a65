using System.Collections;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PixMix.LibTorchSharpFix;
using PixMix.TestSupport;

namespace PixMix.MLNet.Tests.Training;

public class WeakenVersionNeedTests
{
    private const string Version = "GLIBCXX_3.4.32";

    [Fact]
    public void MarksTheNeedWeakInPlaceWhenTheSystemLibStdCxxLacksTheVersion()
    {
        using var folder = new TempFolder();
        var original = TestElfFile.LibTorchSharpLike(0, out var offset);
        var library = folder.Write("out/libLibTorchSharp.so", original);
        var libStdCxx = folder.Write("system/libstdc++.so.6", TestElfFile.Defining("GLIBCXX_3.4", "GLIBCXX_3.4.30"));
        var engine = new RecordingEngine();

        Assert.True(Task(engine, libStdCxx, library).Execute());

        var expected = (byte[])original.Clone();
        expected[offset] |= 2;
        Assert.Equal(expected, File.ReadAllBytes(library));
        Assert.Contains(engine.Messages, m => m.Contains($"marked the {Version} need of {library} weak", StringComparison.Ordinal));

        // A second build finds it weak and leaves it as it is.
        Assert.True(Task(new RecordingEngine(), libStdCxx, library).Execute());
        Assert.Equal(expected, File.ReadAllBytes(library));
    }

    [Fact]
    public void LeavesTheLibraryAloneWhenTheSystemLibStdCxxDefinesTheVersion()
    {
        using var folder = new TempFolder();
        var original = TestElfFile.LibTorchSharpLike(0, out _);
        var library = folder.Write("out/libLibTorchSharp.so", original);
        var libStdCxx = folder.Write("system/libstdc++.so.6", TestElfFile.Defining("GLIBCXX_3.4", "GLIBCXX_3.4.30", Version));

        Assert.True(Task(new RecordingEngine(), libStdCxx, library).Execute());
        Assert.Equal(original, File.ReadAllBytes(library));
    }

    [Fact]
    public void WarnsAndLeavesAFileThatIsNotElfAndFailsOnATruncatedOne()
    {
        using var folder = new TempFolder();
        var libStdCxx = folder.Write("system/libstdc++.so.6", TestElfFile.Defining("GLIBCXX_3.4"));
        var text = folder.Write("text/libLibTorchSharp.so", new byte[100]);
        var engine = new RecordingEngine();
        Assert.True(Task(engine, libStdCxx, text).Execute());
        Assert.Equal(new byte[100], File.ReadAllBytes(text));
        Assert.Contains(engine.Warnings, w => w.Contains($"{text} is not a little-endian 64-bit ELF file", StringComparison.Ordinal));

        var truncated = folder.Write("truncated/libLibTorchSharp.so", TestElfFile.LibTorchSharpLike(0, out _)[..80]);
        engine = new RecordingEngine();
        Assert.False(Task(engine, libStdCxx, truncated).Execute());
        Assert.Contains(engine.Errors, e => e.Contains(truncated, StringComparison.Ordinal) && e.Contains("not a valid ELF file", StringComparison.Ordinal));
    }

    private static WeakenVersionNeed Task(IBuildEngine engine, string libStdCxx, params string[] libraries) => new()
    {
        BuildEngine = engine,
        Libraries = [.. libraries.Select(l => new TaskItem(l))],
        VersionName = Version,
        SystemLibStdCxx = libStdCxx,
    };

    private sealed class RecordingEngine : IBuildEngine
    {
        public List<string> Messages { get; } = [];
        public List<string> Warnings { get; } = [];
        public List<string> Errors { get; } = [];
        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "test.proj";
        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => throw new NotSupportedException();
        public void LogCustomEvent(CustomBuildEventArgs e) { }
        public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e.Message ?? "");
        public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e.Message ?? "");
        public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e.Message ?? "");
    }
}
