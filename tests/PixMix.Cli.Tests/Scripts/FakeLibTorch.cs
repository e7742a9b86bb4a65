using System.Diagnostics;
using PixMix.TestSupport;

namespace PixMix.Cli.Tests.Scripts;

/// <summary>
/// Small ELF libraries built with gcc that stand in for LibTorch and for TorchSharp's libLibTorchSharp.so, so that the
/// GPU check's symbol logic is tested on symbols whose binding is known:
/// <list type="bullet">
/// <item><c>fake_present</c>: exported by every LibTorch variant, called through the PLT;</item>
/// <item><c>fake::call_only()</c> (<c>_ZN4fake9call_onlyEv</c>): called through the PLT only (bound at its first call);</item>
/// <item><c>fake_in_table</c>: stored in a table of function pointers (a data relocation, bound at load);</item>
/// <item><c>fake_object</c>: a variable whose address the consumer stores (a data relocation to an object);</item>
/// <item><c>fake::direct()</c> (<c>_ZN4fake6directEv</c>): not referenced by the consumer, stands for a symbol PixMix binds itself.</item>
/// </list>
/// LibTorch variants (each a folder with libtorch.so, libtorch_cpu.so, libc10.so): <c>full</c> exports all five,
/// <c>gaps</c> lacks <c>fake::call_only()</c> and <c>fake::direct()</c>, <c>noload</c> lacks <c>fake_in_table</c>,
/// <c>noobject</c> lacks <c>fake_object</c>.
/// Consumers: <c>lazy/libLibTorchSharp.so</c> (default binding, linked against libtorch_cpu.so without a run path, so
/// that it finds it on LD_LIBRARY_PATH as TorchSharp's does) and <c>now/libLibTorchSharp.so</c> (linked with
/// <c>-z now</c>); <c>premise-gaps/</c> and <c>premise-noload/</c> hold a consumer linked against those variants with
/// <c>$ORIGIN</c> as run path, for loading from .NET. <c>loadhost</c> is a program that loads a library with
/// <c>dlopen(RTLD_LAZY)</c>, calls one of its <c>int f(void)</c> functions and prints the result.
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
        #ifndef NO_OBJECT
        int fake_object = 5;
        #endif
        """;

    private const string ConsumerSource = """
        extern int fake_present(void);
        extern int call_only(void) __asm__("_ZN4fake9call_onlyEv");
        extern int fake_in_table(void);
        extern int fake_object;
        int (*const fake_table[1])(void) = { fake_in_table };
        int *const fake_object_address = &fake_object;
        int answer(void) { return 42; }
        int use_present(void) { return fake_present(); }
        int use_call_only(void) { return call_only(); }
        int use_table(void) { return fake_table[0](); }
        """;

    private const string LoadHostSource = """
        #include <dlfcn.h>
        #include <stdio.h>
        int main(int argc, char **argv) {
          if (argc != 3) { fprintf(stderr, "usage: loadhost LIBRARY FUNCTION\n"); return 2; }
          void *library = dlopen(argv[1], RTLD_LAZY);
          if (!library) { fprintf(stderr, "loadhost: %s\n", dlerror()); return 3; }
          int (*function)(void) = (int (*)(void))dlsym(library, argv[2]);
          if (!function) { fprintf(stderr, "loadhost: no function %s\n", argv[2]); return 4; }
          printf("%d\n", function());
          return 0;
        }
        """;

    private readonly TempFolder _folder = new();

    public FakeLibTorch()
    {
        File.WriteAllText(_folder.File("torch.c"), TorchSource);
        File.WriteAllText(_folder.File("consumer.c"), ConsumerSource);
        File.WriteAllText(_folder.File("empty.c"), "int fake_library_marker(void) { return 0; }\n");
        File.WriteAllText(_folder.File("loadhost.c"), LoadHostSource);
        BuildTorch("full");
        BuildTorch("gaps", "-DNO_CALL_ONLY", "-DNO_DIRECT");
        BuildTorch("noload", "-DNO_IN_TABLE");
        BuildTorch("noobject", "-DNO_OBJECT");
        var full = "-L" + Torch("full");
        Gcc(Dir("lazy"), "-shared", "-fPIC", "-O0", "-o", "libLibTorchSharp.so", _folder.File("consumer.c"), full, "-ltorch_cpu");
        Gcc(Dir("now"), "-shared", "-fPIC", "-O0", "-Wl,-z,now", "-o", "libLibTorchSharp.so", _folder.File("consumer.c"), full, "-ltorch_cpu");
        Gcc(Root, "-O0", "-o", "loadhost", _folder.File("loadhost.c"), "-ldl");
        foreach (var variant in new[] { "gaps", "noload" })
        {
            var premise = Dir("premise-" + variant);
            // Another name than libtorch_cpu.so: the test process may have loaded the real LibTorch, whose soname
            // would satisfy a need for libtorch_cpu.so before the run path is searched.
            File.Copy(Path.Combine(Root, variant, "libtorch_cpu.so"), Path.Combine(premise, "libfaketorch.so"));
            Gcc(premise, "-shared", "-fPIC", "-O0", "-o", "libconsumer.so", _folder.File("consumer.c"),
                "-L" + premise, "-lfaketorch", "-Wl,-rpath,$ORIGIN");
        }
    }

    public string Root => _folder.Path;

    public string Torch(string variant) => Path.Combine(Root, variant);

    public string Consumer(string binding) => Path.Combine(Root, binding, "libLibTorchSharp.so");

    public string LoadHost => Path.Combine(Root, "loadhost");

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
