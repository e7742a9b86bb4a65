using System.Diagnostics;

namespace PixMix.Cli.Tests.Scripts;

/// <summary>
/// Small ELF libraries built with gcc that stand in for LibTorch and for TorchSharp's libLibTorchSharp.so, so that the
/// GPU check's symbol logic is tested on symbols whose binding is known:
/// <list type="bullet">
/// <item><c>fake_present</c>: exported by every LibTorch variant, called through the PLT;</item>
/// <item><c>fake::call_only()</c> (<c>_ZN4fake9call_onlyEv</c>): called through the PLT only (bound at its first call);</item>
/// <item><c>fake_in_table</c>: stored in a table of function pointers (a data relocation, bound at load);</item>
/// <item><c>fake::direct()</c> (<c>_ZN4fake6directEv</c>): not referenced by the consumer, stands for a symbol PixMix binds itself.</item>
/// </list>
/// LibTorch variants (each a folder with libtorch.so, libtorch_cpu.so, libc10.so): <c>full</c> exports all four,
/// <c>gaps</c> lacks <c>fake::call_only()</c> and <c>fake::direct()</c>, <c>noload</c> lacks <c>fake_in_table</c>.
/// Consumers: <c>lazy/libLibTorchSharp.so</c> (default binding) and <c>now/libLibTorchSharp.so</c> (linked with
/// <c>-z now</c>); <c>premise-gaps/</c> and <c>premise-noload/</c> hold a consumer linked against those variants with
/// <c>$ORIGIN</c> as run path, for loading from .NET.
/// </summary>
public sealed class FakeLibTorch : IDisposable
{
    public const string CallOnly = "_ZN4fake9call_onlyEv";
    public const string Direct = "_ZN4fake6directEv";

    private const string TorchSource = """
        int fake_present(void) { return 1; }
        #ifndef NO_CALL_ONLY
        int call_only(void) __asm__("_ZN4fake9call_onlyEv");
        int call_only(void) { return 2; }
        #endif
        #ifndef NO_IN_TABLE
        int fake_in_table(void) { return 3; }
        #endif
        #ifndef NO_DIRECT
        int direct(void) __asm__("_ZN4fake6directEv");
        int direct(void) { return 4; }
        #endif
        """;

    private const string ConsumerSource = """
        extern int fake_present(void);
        extern int call_only(void) __asm__("_ZN4fake9call_onlyEv");
        extern int fake_in_table(void);
        int (*const fake_table[1])(void) = { fake_in_table };
        int answer(void) { return 42; }
        int use_present(void) { return fake_present(); }
        int use_call_only(void) { return call_only(); }
        int use_table(void) { return fake_table[0](); }
        """;

    private readonly TempFolder _folder = new();

    public FakeLibTorch()
    {
        File.WriteAllText(_folder.File("torch.c"), TorchSource);
        File.WriteAllText(_folder.File("consumer.c"), ConsumerSource);
        File.WriteAllText(_folder.File("empty.c"), "int fake_library_marker(void) { return 0; }\n");
        BuildTorch("full");
        BuildTorch("gaps", "-DNO_CALL_ONLY", "-DNO_DIRECT");
        BuildTorch("noload", "-DNO_IN_TABLE");
        Gcc(Dir("lazy"), "-shared", "-fPIC", "-O0", "-o", "libLibTorchSharp.so", _folder.File("consumer.c"));
        Gcc(Dir("now"), "-shared", "-fPIC", "-O0", "-Wl,-z,now", "-o", "libLibTorchSharp.so", _folder.File("consumer.c"));
        foreach (var variant in new[] { "gaps", "noload" })
        {
            var premise = Dir("premise-" + variant);
            File.Copy(Path.Combine(Root, variant, "libtorch_cpu.so"), Path.Combine(premise, "libtorch_cpu.so"));
            Gcc(premise, "-shared", "-fPIC", "-O0", "-o", "libconsumer.so", _folder.File("consumer.c"),
                "-L" + premise, "-ltorch_cpu", "-Wl,-rpath,$ORIGIN");
        }
    }

    public string Root => _folder.Path;

    public string Torch(string variant) => Path.Combine(Root, variant);

    public string Consumer(string binding) => Path.Combine(Root, binding, "libLibTorchSharp.so");

    public string Premise(string variant) => Path.Combine(Root, "premise-" + variant, "libconsumer.so");

    public void Dispose() => _folder.Dispose();

    private string Dir(string name) => Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    private void BuildTorch(string variant, params string[] defines)
    {
        var dir = Dir(variant);
        Gcc(dir, [.. defines, "-shared", "-fPIC", "-O0", "-o", "libtorch_cpu.so", _folder.File("torch.c")]);
        Gcc(dir, "-shared", "-fPIC", "-O0", "-o", "libc10.so", _folder.File("empty.c"));
        Gcc(dir, "-shared", "-fPIC", "-O0", "-o", "libtorch.so", _folder.File("empty.c"));
    }

    private static void Gcc(string workingDirectory, params string[] args)
    {
        var result = Shell.Run("gcc", args, workingDirectory);
        if (result.Code != 0) throw new InvalidOperationException($"gcc {string.Join(' ', args)} failed ({result.Code}): {result.Err}");
    }
}

/// <summary>Runs a program to its end, capturing its output.</summary>
internal static class Shell
{
    public static (int Code, string Out, string Err) Run(string program, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                if (value is null) start.Environment.Remove(key);
                else start.Environment[key] = value;
            }
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + program);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not end within 120 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
