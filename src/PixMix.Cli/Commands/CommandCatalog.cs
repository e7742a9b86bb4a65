namespace PixMix.Cli.Commands;

/// <summary>All commands of the CLI.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All(TextWriter stdout, TextWriter stderr) =>
    [
        FractalsCommand.Create(stdout),
        AugmentCommand.Create(stdout),
        BenchCommand.Create(stdout),
        CorruptCommand.Create(stdout, stderr),
        PerturbCommand.Create(stdout, stderr),
        TrainCommand.Create(stdout, stderr),
        EvaluateCommand.Create(stdout, stderr),
        ImportPyTorchCommand.Create(stdout),
        ExportOnnxCommand.Create(stdout),
        DemoCommand.Create(stdout, stderr),
        SelfTestCommand.Create(stdout),
    ];
}
