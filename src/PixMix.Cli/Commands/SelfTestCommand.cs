using PixMix.Cli.SelfTest;

namespace PixMix.Cli.Commands;

/// <summary>
/// pixmix selftest cuda (hidden): runs the CUDA checks (<see cref="CudaChecks"/>, whose measurements the test project asserts on) on a
/// machine that has a GPU but no .NET SDK, printing one JSON line per check. Exit code 0 when all passed (or, without
/// --require-cuda, when CUDA is absent and they were skipped), 1 when one failed or CUDA is required and absent.
/// </summary>
internal static class SelfTestCommand
{
    public static Command Create(TextWriter stdout)
    {
        var require = new Option<bool>("--require-cuda") { Description = "Fail instead of skipping when CUDA is not available." };
        var dryRun = new Option<bool>("--dry-run-on-cpu") { Description = "Run the checks' code with the CPU in CUDA's place (proves nothing about CUDA; catches mistakes in the checks)." };
        var cudaCommand = new Command("cuda", "Run the checks that need a CUDA device; one JSON line per check.") { require, dryRun };
        cudaCommand.SetAction(parse =>
        {
            var json = CliOutput.SnakeCaseJsonOptions;
            bool cpu = parse.GetValue(dryRun);
            var skip = cpu ? null : CudaChecks.SkipReason();
            if (skip is not null)
            {
                foreach (var (name, _) in CudaChecks.All())
                    stdout.WriteLine(JsonSerializer.Serialize(new CheckResult("check", name, "skipped", skip, 0), json));
                return parse.GetValue(require) ? ExitCodes.InternalError : ExitCodes.Ok;
            }
            bool failed = false;
            foreach (var (name, run) in cpu ? CudaChecks.CpuDryRun() : CudaChecks.All())
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                string status, detail;
                try { detail = run(); status = "passed"; }
                catch (Exception e) { detail = $"{e.GetType().Name}: {e.Message}"; status = "failed"; failed = true; }
                stdout.WriteLine(JsonSerializer.Serialize(new CheckResult("check", name, status, detail, Math.Round(clock.Elapsed.TotalSeconds, 2)), json));
            }
            return failed ? ExitCodes.InternalError : ExitCodes.Ok;
        });
        return new Command("selftest", "Checks of this installation (hidden).") { Hidden = true, Subcommands = { cudaCommand } };
    }

    private sealed record CheckResult(string Kind, string Name, string Status, string Detail, double Seconds);
}
