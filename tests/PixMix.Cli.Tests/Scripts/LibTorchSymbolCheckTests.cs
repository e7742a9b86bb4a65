using System.Runtime.InteropServices;
using System.Text.Json;
using PixMix.TestSupport;

namespace PixMix.Cli.Tests.Scripts;

/// <summary>
/// scripts/check-libtorch-symbols.sh (which PyTorch a libLibTorchSharp.so loads against, and what would fail) and the
/// way scripts/gpu-check.sh acts on its verdict, on the small libraries of <see cref="FakeLibTorch"/>, plus the real
/// TorchSharp/LibTorch pair that the build ships.
/// </summary>
public sealed class LibTorchSymbolCheckTests(FakeLibTorchFixture fixture) : IClassFixture<FakeLibTorchFixture>
{
    private readonly FakeLibTorch _fake = fixture.Libraries;

    private static string Script(string name) => RepositoryRoot.Combine("scripts", name);

    private static (int Code, JsonElement Line, string Err) Check(params string[] args)
    {
        var (code, output, error) = Shell.Run("bash", [Script("check-libtorch-symbols.sh"), .. args]);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one JSON line, got: {output} {error}");
        return (code, JsonDocument.Parse(lines[0]).RootElement, error);
    }

    private static string[] Strings(JsonElement line, string property) =>
        [.. line.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];

    [NativeToolFact]
    public void AFolderThatExportsEverythingIsAMatch()
    {
        var (code, line, _) = Check(_fake.Consumer("lazy"), _fake.Torch("full"), "full");
        Assert.Equal(0, code);
        Assert.Equal("match", line.GetProperty("verdict").GetString());
        Assert.Equal(4, line.GetProperty("needed_from_libtorch").GetInt32());
        Assert.Equal(0, line.GetProperty("missing").GetInt32());
        Assert.False(line.GetProperty("bind_now").GetBoolean());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("missing_used").ValueKind);
        Assert.Equal(["libtorch.so", "libtorch_cpu.so", "libc10.so"], Strings(line, "libraries"));
    }

    [NativeToolFact]
    public void ASymbolReachedOnlyThroughThePLTIsMissingAtCallTimeAndTheLibraryStillLoads()
    {
        var (code, line, _) = Check(_fake.Consumer("lazy"), _fake.Torch("gaps"));
        Assert.Equal(5, code);
        Assert.Equal("loads_with_gaps", line.GetProperty("verdict").GetString());
        Assert.Equal(1, line.GetProperty("missing").GetInt32());
        Assert.Equal(0, line.GetProperty("missing_at_load").GetInt32());
        Assert.Equal(1, line.GetProperty("missing_at_call").GetInt32());
        Assert.Equal(["fake::call_only()"], Strings(line, "missing_first_20"));
    }

    [NativeToolFact]
    public void ASymbolInADataRelocationIsMissingAtLoadTime()
    {
        var (code, line, _) = Check(_fake.Consumer("lazy"), _fake.Torch("noload"));
        Assert.Equal(3, code);
        Assert.Equal("fails_to_load", line.GetProperty("verdict").GetString());
        Assert.Equal(1, line.GetProperty("missing_at_load").GetInt32());
        Assert.Equal(0, line.GetProperty("missing_at_call").GetInt32());
        Assert.Equal(["fake_in_table"], Strings(line, "missing_at_load_first_20"));
    }

    [NativeToolFact]
    public void UnderImmediateBindingEveryMissingSymbolIsMissingAtLoadTime()
    {
        var (code, line, _) = Check(_fake.Consumer("now"), _fake.Torch("gaps"));
        Assert.Equal(3, code);
        Assert.True(line.GetProperty("bind_now").GetBoolean());
        Assert.Equal(1, line.GetProperty("missing_at_load").GetInt32());
        Assert.Equal(["fake::call_only()"], Strings(line, "missing_at_load_first_20"));
    }

    [NativeToolFact]
    public void UsedAndDirectlyBoundSymbolsAreCountedAgainstTheExports()
    {
        using var lists = new TempFolder();
        File.WriteAllLines(lists.File("used.txt"), [FakeLibTorch.CallOnly, "fake_present", "fake_present", ""]);
        File.WriteAllLines(lists.File("direct.txt"), [FakeLibTorch.Direct]);

        var (code, line, _) = Check("--used", lists.File("used.txt"), "--direct", lists.File("direct.txt"),
            _fake.Consumer("lazy"), _fake.Torch("gaps"));
        Assert.Equal(5, code);
        Assert.Equal(1, line.GetProperty("missing_used").GetInt32());
        Assert.Equal(["fake::call_only()"], Strings(line, "missing_used_first_20"));
        Assert.Equal(1, line.GetProperty("direct_needed").GetInt32());
        Assert.Equal(1, line.GetProperty("direct_missing").GetInt32());
        Assert.Equal(["fake::direct()"], Strings(line, "direct_missing_names"));

        // The same lists against the full folder: nothing used is missing, and the direct symbol is exported.
        (code, line, _) = Check("--used", lists.File("used.txt"), "--direct", lists.File("direct.txt"),
            _fake.Consumer("lazy"), _fake.Torch("full"));
        Assert.Equal(0, code);
        Assert.Equal(0, line.GetProperty("missing_used").GetInt32());
        Assert.Equal(0, line.GetProperty("direct_missing").GetInt32());
    }

    [NativeToolFact]
    public void AMissingDirectSymbolAloneIsAGap()
    {
        using var lists = new TempFolder();
        File.WriteAllLines(lists.File("direct.txt"), ["_ZN4fake6absentEv"]);
        var (code, line, _) = Check("--direct", lists.File("direct.txt"), _fake.Consumer("lazy"), _fake.Torch("full"));
        Assert.Equal(5, code);
        Assert.Equal("loads_with_gaps", line.GetProperty("verdict").GetString());
        Assert.Equal(0, line.GetProperty("missing").GetInt32());
        Assert.Equal(["fake::absent()"], Strings(line, "direct_missing_names"));
    }

    [NativeToolFact]
    public void BadArgumentsExit2NamingWhatIsWrong()
    {
        var (code, line, _) = Check(Path.Combine(_fake.Root, "none.so"), _fake.Torch("full"));
        Assert.Equal(2, code);
        Assert.Contains("none.so", line.GetProperty("error").GetString());

        (code, line, _) = Check(_fake.Consumer("lazy"), _fake.Root);
        Assert.Equal(2, code);
        Assert.Contains("no libtorch", line.GetProperty("error").GetString());

        (code, line, _) = Check("--used", Path.Combine(_fake.Root, "absent.txt"), _fake.Consumer("lazy"), _fake.Torch("full"));
        Assert.Equal(2, code);
        Assert.Contains("absent.txt", line.GetProperty("error").GetString());

        (code, line, _) = Check("--bogus", _fake.Consumer("lazy"), _fake.Torch("full"));
        Assert.Equal(2, code);
        Assert.Contains("--bogus", line.GetProperty("error").GetString());
    }

    /// <summary>
    /// The premise of "loads_with_gaps": .NET loads native libraries lazily, so a library whose missing symbols are all
    /// call-time loads and runs every function that does not reach them; one missing a load-time symbol does not load.
    /// </summary>
    [NativeToolFact]
    public void DotNetLoadsALibraryWithOnlyCallTimeGapsAndRefusesOneWithALoadTimeGap()
    {
        // With the real LibTorch loaded in this process too, as it is when other tests ran first.
        Assert.Equal(2f, TorchSharp.torch.ones(2).sum().item<float>());
        Assert.True(NativeLibrary.TryLoad(_fake.Premise("gaps"), out var handle), "the library with a call-time gap did not load");
        try
        {
            var answer = Marshal.GetDelegateForFunctionPointer<IntFunction>(NativeLibrary.GetExport(handle, "answer"));
            var usePresent = Marshal.GetDelegateForFunctionPointer<IntFunction>(NativeLibrary.GetExport(handle, "use_present"));
            var useTable = Marshal.GetDelegateForFunctionPointer<IntFunction>(NativeLibrary.GetExport(handle, "use_table"));
            Assert.Equal(42, answer());
            Assert.Equal(1, usePresent());
            Assert.Equal(3, useTable());
        }
        finally { NativeLibrary.Free(handle); }

        Assert.False(NativeLibrary.TryLoad(_fake.Premise("noload"), out _), "the library with a load-time gap loaded");
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int IntFunction();

    /// <summary>The TorchSharp native library and the LibTorch of this build: nothing missing.</summary>
    [NativeToolFact]
    public void TheShippedTorchSharpAndLibTorchMatch()
    {
        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        Assert.True(File.Exists(Path.Combine(native, "libtorch_cpu.so")), "no LibTorch in " + native + " (TorchBackend=cpu build expected)");
        var (code, line, _) = Check(Path.Combine(native, "libLibTorchSharp.so"), native, "build output");
        Assert.Equal(0, code);
        Assert.Equal("match", line.GetProperty("verdict").GetString());
        Assert.True(line.GetProperty("needed_from_libtorch").GetInt32() > 1000);
    }

    /// <summary>gpu-check.sh goes on past a call-time gap, and reports the run that reaches it with the demangled symbol.</summary>
    [NativeToolFact]
    public void TheGPUCheckGoesOnPastCallTimeGapsAndNamesTheSymbolAFailedRunReached()
    {
        using var payload = GpuCheckPayload();
        var (code, lines, error) = GpuCheck(payload, _fake.Torch("gaps"));
        Assert.True(code == 0, $"exit code {code}: {error}");

        var symbols = lines.Single(l => Kind(l) == "symbol_check");
        Assert.Equal("loads_with_gaps", symbols.GetProperty("verdict").GetString());
        Assert.Equal(1, symbols.GetProperty("missing_used").GetInt32());
        Assert.Equal(1, symbols.GetProperty("direct_missing").GetInt32());
        Assert.DoesNotContain(lines, l => Kind(l) == "symbol_stand_ins");

        Assert.Single(lines, l => Kind(l) == "check");
        // fp32: the library loaded through LD_LIBRARY_PATH (immediate binding switched off) and ran answer() and the
        // table's function, which the gaps leave alone.
        var measured = lines.Where(l => Kind(l) == "measurement").ToArray();
        Assert.Equal([42, 3], measured.Select(m => m.GetProperty("value").GetInt32()));
        foreach (var m in measured)
        {
            Assert.StartsWith(_fake.Torch("gaps") + ":", m.GetProperty("ld_library_path").GetString() + ":");
            Assert.Equal("", m.GetProperty("ld_bind_now").GetString());
            Assert.Equal("", m.GetProperty("ld_preload").GetString());
        }
        // bf16: the loader stops the run at the missing call-time symbol; the line names it, demangled.
        var failed = lines.Where(l => Kind(l) == "failed").ToArray();
        Assert.Equal(2, failed.Length);
        foreach (var f in failed)
        {
            Assert.Contains("--precision bf16", f.GetProperty("run").GetString());
            Assert.Equal(127, f.GetProperty("exit_code").GetInt32());
            Assert.Equal("undefined symbol: fake::call_only()", f.GetProperty("error").GetString());
        }
        Assert.Equal("done", Kind(lines[^1]));
    }

    /// <summary>
    /// A missing load-time function gets a stand-in, preloaded into our runs: the library loads, the runs that never
    /// call it are measured, and the one that calls it aborts, named.
    /// </summary>
    [NativeToolFact]
    public void TheGPUCheckStandsInForMissingLoadTimeFunctionsAndNamesTheOneARunCalled()
    {
        using var payload = GpuCheckPayload();
        var (code, lines, error) = GpuCheck(payload, _fake.Torch("noload"));
        Assert.True(code == 0, $"exit code {code}: {error}");

        Assert.Equal("fails_to_load", lines.Single(l => Kind(l) == "symbol_check").GetProperty("verdict").GetString());
        var standIns = lines.Single(l => Kind(l) == "symbol_stand_ins");
        Assert.Equal(1, standIns.GetProperty("count").GetInt32());
        Assert.Equal(["fake_in_table"], Strings(standIns, "names"));

        // answer() (fp32) and fake::call_only() (bf16, present in this variant) ran with the stand-ins preloaded.
        var measured = lines.Where(l => Kind(l) == "measurement").ToArray();
        Assert.Equal([42, 2, 2], measured.Select(m => m.GetProperty("value").GetInt32()));
        Assert.All(measured, m => Assert.EndsWith("libpixmix-stand-ins.so", m.GetProperty("ld_preload").GetString()));
        // The table's function is the stand-in: that run aborts, naming it.
        var failed = Assert.Single(lines, l => Kind(l) == "failed");
        Assert.Contains("--no-pixmix", failed.GetProperty("run").GetString());
        Assert.Equal(134, failed.GetProperty("exit_code").GetInt32());
        Assert.Equal("stand-in called: fake_in_table", failed.GetProperty("error").GetString());
        Assert.Equal("done", Kind(lines[^1]));
    }

    [NativeToolFact]
    public void TheGPUCheckStopsBeforeAnyRunWhenStandInsAreOffOrImpossible()
    {
        using var payload = GpuCheckPayload();

        var (code, lines, _) = GpuCheck(payload, _fake.Torch("noload"), "--no-stubs");
        Assert.Equal(3, code);
        Assert.Equal("stop", Kind(lines[^1]));
        Assert.Contains("--no-stubs", lines[^1].GetProperty("reason").GetString());
        Assert.DoesNotContain(lines, l => Kind(l) is "check" or "measurement" or "failed" or "symbol_stand_ins");

        // A missing variable cannot be stood in for by a function.
        (code, lines, _) = GpuCheck(payload, _fake.Torch("noobject"));
        Assert.Equal(3, code);
        Assert.Equal(["fake_object"], Strings(lines.Single(l => Kind(l) == "symbol_check"), "missing_at_load_first_20"));
        Assert.Contains("fake_object is not a function (symbol type OBJECT)", lines[^1].GetProperty("reason").GetString());
        Assert.DoesNotContain(lines, l => Kind(l) is "check" or "measurement" or "failed");
    }

    private static string? Kind(JsonElement line) => line.GetProperty("kind").GetString();

    /// <summary>
    /// The layout of an unpacked payload (scripts/, pixmix/, data/, symbols/, COMMIT) with the fake consumer as
    /// libLibTorchSharp.so, a stand-in CLI that loads it with <c>loadhost</c> and calls <c>answer()</c> (fp32),
    /// <c>fake::call_only()</c> through the PLT (bf16) or the table's function (without PixMix), printing the value and
    /// its loader environment, and a stand-in python that prints the environment line.
    /// </summary>
    private TempFolder GpuCheckPayload()
    {
        var root = new TempFolder();
        var scripts = Directory.CreateDirectory(root.File("scripts")).FullName;
        foreach (var s in new[] { "gpu-check.sh", "check-libtorch-symbols.sh" }) File.Copy(Script(s), Path.Combine(scripts, s));
        var cli = Directory.CreateDirectory(root.File("pixmix")).FullName;
        File.Copy(_fake.Consumer("lazy"), Path.Combine(cli, "libLibTorchSharp.so"));
        File.Copy(_fake.LoadHost, Path.Combine(cli, "loadhost"));
        WriteExecutable(Path.Combine(cli, "pixmix"), """
            #!/usr/bin/env bash
            here="$(dirname "$0")"
            case "$*" in
              "selftest cuda"*) echo '{"kind":"check","name":"stand_in","status":"skipped"}'; exit 0 ;;
              *"--precision bf16"*) function=use_call_only ;;
              *"--no-pixmix"*) function=use_table ;;
              *) function=answer ;;
            esac
            value=$("$here/loadhost" "$here/libLibTorchSharp.so" "$function") || exit $?
            echo "{\"kind\":\"measurement\",\"value\":$value,\"ld_library_path\":\"$LD_LIBRARY_PATH\",\"ld_bind_now\":\"${LD_BIND_NOW:-}\",\"ld_preload\":\"${LD_PRELOAD:-}\"}"
            """);
        Directory.CreateDirectory(root.File(Path.Combine("data", "fashion-mnist")));
        var symbols = Directory.CreateDirectory(root.File("symbols")).FullName;
        File.WriteAllLines(Path.Combine(symbols, "used-by-cpu-runs.txt"), [FakeLibTorch.CallOnly, "fake_present"]);
        File.WriteAllLines(Path.Combine(symbols, "direct.txt"), [FakeLibTorch.Direct]);
        File.WriteAllText(root.File("COMMIT"), "test\n");
        WriteExecutable(root.File("python"), """
            #!/usr/bin/env bash
            cat > /dev/null
            echo '{"kind": "environment", "python": "stand-in", "cores": 2}'
            """);
        return root;
    }

    private static (int Code, JsonElement[] Lines, string Err) GpuCheck(TempFolder payload, string torchLib, params string[] extra)
    {
        var (code, output, error) = Shell.Run("bash",
            [payload.File(Path.Combine("scripts", "gpu-check.sh")), "--device", "cpu", "--python", payload.File("python"),
             "--torch-lib", torchLib, "--no-reference", .. extra],
            environment: new Dictionary<string, string?> { ["LD_BIND_NOW"] = "1" });
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        return (code, lines, error);
    }

    private static void WriteExecutable(string path, string text)
    {
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the GPU check runs on Linux");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}

/// <summary>Builds the fake libraries once for the test class (skipped tests never build them).</summary>
public sealed class FakeLibTorchFixture : IDisposable
{
    private readonly Lazy<FakeLibTorch> _libraries = new(() => new FakeLibTorch());

    public FakeLibTorch Libraries => _libraries.Value;

    public void Dispose()
    {
        if (_libraries.IsValueCreated) _libraries.Value.Dispose();
    }
}
