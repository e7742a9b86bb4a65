using System.CommandLine;

namespace PixMix.Cli.Commands;

/// <summary>All commands of the CLI.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All(TextWriter stdout) =>
    [
        FractalsCommand.Create(stdout),
        AugmentCommand.Create(stdout),
        BenchCommand.Create(stdout),
        CorruptCommand.Create(stdout),
        TrainCommand.Create(stdout),
        EvaluateCommand.Create(stdout),
        ImportPyTorchCommand.Create(stdout),
        DemoCommand.Create(stdout),
        SelfTestCommand.Create(stdout),
    ];
}
